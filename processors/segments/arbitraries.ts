import fc from 'fast-check';
import type { ActivityItem, DailyActivity, ProfileDocument } from '../../contracts/profile';
import { utcDay } from '../../contracts/profile-figures';
import {
  type PropertyFilter,
  SegmentDefinition,
  type SegmentRuleInput,
} from '../../contracts/segment-definition';
import { DAY, NOW, profile } from './test-support';

/** fast-check arbitraries of profiles, timelines and valid rules, for the segment property tests. */

const EVENTS = ['purchase', 'page_view', 'Order Completed'] as const;

const dayOffset = fc.integer({ min: -100, max: 3 });

const bucketArb: fc.Arbitrary<DailyActivity> = fc
  .record({
    offset: dayOffset,
    purchases: fc.integer({ min: 0, max: 3 }),
    pageViews: fc.integer({ min: 0, max: 5 }),
    completed: fc.integer({ min: 0, max: 2 }),
    cents: fc.integer({ min: 0, max: 50_000 }),
  })
  .map(({ offset, purchases, pageViews, completed, cents }) => ({
    day: utcDay(NOW + offset * DAY),
    events: purchases + pageViews + completed,
    pageViews,
    purchases: purchases + completed,
    revenue: purchases + completed === 0 ? 0 : cents / 100,
    eventCounts: { purchase: purchases, page_view: pageViews, 'Order Completed': completed },
  }));

const timeNear = (minDays: number, maxDays: number) =>
  fc
    .integer({ min: minDays * DAY, max: maxDays * DAY })
    .map((offset) => new Date(NOW + offset).toISOString());

export const documentArb: fc.Arbitrary<ProfileDocument> = fc
  .record({
    lastSeen: timeNear(-120, 2),
    firstSeen: timeNear(-400, -120),
    signup: fc.option(timeNear(-60, 0), { nil: undefined }),
    totalPurchases: fc.integer({ min: 0, max: 8 }),
    totalPageViews: fc.integer({ min: 0, max: 40 }),
    lifetimeValue: fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100),
    plan: fc.constantFrom('free', 'pro', undefined),
    daily: fc.uniqueArray(bucketArb, { selector: (b) => b.day, maxLength: 12 }),
  })
  .map(({ plan, signup, daily, ...figures }) =>
    profile({
      ...figures,
      traits: plan === undefined ? {} : { plan },
      ...(signup === undefined ? {} : { signup: { timestamp: signup, properties: {} } }),
      eventCounts: { purchase: figures.totalPurchases },
      daily: [...daily].sort((a, b) => a.day.localeCompare(b.day)),
    }),
  );

export const activityArb: fc.Arbitrary<ActivityItem[]> = fc.array(
  fc.record({
    eventId: fc.uuid(),
    eventName: fc.constantFrom(...EVENTS),
    timestamp: timeNear(-100, 1),
    source: fc.constant('web'),
    properties: fc.record({
      revenue: fc.integer({ min: 0, max: 300 }),
      category: fc.constantFrom('shoes', 'hats'),
    }),
  }),
  { maxLength: 10 },
);

const small = fc.integer({ min: 0, max: 40 });
const leafArb: fc.Arbitrary<SegmentRuleInput> = fc.oneof(
  fc.record({
    field: fc.constantFrom('daysSinceLastVisit', 'daysSinceSignup', 'daysSinceFirstSeen'),
    operator: fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq', 'neq'),
    value: fc.oneof(small, fc.double({ min: 0, max: 40, noNaN: true })),
  }),
  fc.record({
    field: fc.constantFrom('daysSinceLastVisit', 'daysSinceSignup'),
    operator: fc.constant('between'),
    value: fc.tuple(small, small).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]),
  }),
  fc.record({
    field: fc.constantFrom('daysSinceLastVisit', 'today.purchases', 'last7Days.purchases'),
    operator: fc.constant('in'),
    value: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    field: fc.constantFrom(
      'last7Days.revenue',
      'last30Days.purchases',
      'last90Days.pageViews',
      'today.events',
      'today.revenue',
      'lifetimeValue',
      'totalPurchases',
      'totalPageViews',
    ),
    operator: fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq'),
    value: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({
    field: fc.constant('traits.plan'),
    operator: fc.constant('eq'),
    value: fc.constantFrom('free', 'pro'),
  }),
  fc.record({ field: fc.constant('traits.plan'), operator: fc.constant('exists'), value: fc.boolean() }),
  fc.record({
    event: fc.constantFrom<string | string[]>('purchase', 'page_view', ['purchase', 'Order Completed']),
    atLeast: fc.integer({ min: 0, max: 4 }),
    withinDays: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
  }),
  fc.record({
    event: fc.constantFrom('purchase', 'Order Completed'),
    atLeast: fc.integer({ min: 1, max: 3 }),
    withinDays: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
    where: fc.constant<PropertyFilter[]>([{ property: 'revenue', operator: 'gte', value: 100 }]),
  }),
);

export const ruleArb: fc.Arbitrary<SegmentRuleInput> = fc.letrec<{ rule: SegmentRuleInput }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.record({ and: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('rule') }),
  ),
})).rule;

export const definitionsArb = fc
  .array(ruleArb, { minLength: 1, maxLength: 3 })
  .map((rules) => rules.map((rule, i) => SegmentDefinition.parse({ id: `s${i}`, name: `S${i}`, rule })));

export const nowArb = fc.integer({ min: 0, max: 3 * DAY }).map((offset) => NOW + offset);
