/**
 * Real-time segment evaluation per profile: the compiled evaluator against the design notes'
 * interpreter (compute the profile's figures, then look each rule's field up and switch on the operator),
 * on the same profiles and the same three seed segments, in the same run. Also the shipped defaults,
 * `nextChangeAt`, and a heavier set of 20 segments with event conditions and property filters.
 *
 * `SEGMENTS_BENCH_SCALE` (entry-file knob, default 1) shrinks the run for a quick try.
 */

import { loadavg } from 'node:os';
import type { ActivityItem, DailyActivity, ProfileDocument } from '../../contracts/profile';
import { profileFigures, utcDay } from '../../contracts/profile-figures';
import { SegmentDefinition, type SegmentRuleInput } from '../../contracts/segment-definition';
import { createSegmentEvaluator, DEFAULT_SEGMENT_DEFINITIONS } from '../../processors/segments';
import { createRandom } from '../../services/demo-data/random';
import { bestOpsPerSecond, report } from '../lib/report';

const scale = Number(process.env.SEGMENTS_BENCH_SCALE ?? '1');
const PROFILES = Math.max(1000, Math.round(50_000 * scale));
const DAY = 86_400_000;
const NOW = Date.parse('2026-03-31T12:00:00.000Z');

function makeProfiles(): { document: ProfileDocument; activity: ActivityItem[] }[] {
  const random = createRandom(7);
  return Array.from({ length: PROFILES }, (_, i) => {
    const purchases = random.chance(0.4) ? random.int(1, 12) : 0;
    const daily: DailyActivity[] = [];
    for (let d = 89; d >= 0; d -= 1) {
      if (!random.chance(0.15)) continue;
      const p = purchases > 0 && random.chance(0.2) ? 1 : 0;
      const pageViews = random.int(1, 8);
      daily.push({
        day: utcDay(NOW - d * DAY),
        events: p + pageViews,
        pageViews,
        purchases: p,
        revenue: p * random.int(10, 300),
        eventCounts: p > 0 ? { page_view: pageViews, 'Order Completed': p } : { page_view: pageViews },
      });
    }
    const activity: ActivityItem[] = Array.from({ length: random.int(0, 50) }, (_, j) => ({
      eventId: `e-${i}-${j}`,
      eventName: random.chance(0.1) ? 'Order Completed' : 'page_view',
      timestamp: new Date(NOW - random.int(0, 120) * DAY).toISOString(),
      source: 'web',
      properties: { revenue: random.int(5, 400), category: random.pick(['shoes', 'camping', 'apparel']) },
    }));
    const lastSeen = new Date(NOW - random.int(0, 120) * DAY).toISOString();
    const document: ProfileDocument = {
      profileId: `p-${i}`,
      version: 1,
      traits: { plan: random.pick(['free', 'pro']), email: `c${i}@example.com` },
      traitTimes: {},
      firstSeen: new Date(NOW - 200 * DAY).toISOString(),
      lastSeen,
      totalEvents: 100,
      totalPageViews: random.int(0, 60),
      totalPurchases: purchases,
      lifetimeValue: purchases * random.int(20, 200),
      eventCounts: { 'Order Completed': purchases },
      ...(random.chance(0.6)
        ? { signup: { timestamp: new Date(NOW - random.int(0, 150) * DAY).toISOString(), properties: {} } }
        : {}),
      daily,
      sessions: { count: 3, totalDurationMs: 600_000 },
      mergedFrom: [],
      appliedSequences: {},
      updatedAt: lastSeen,
    };
    return { document, activity };
  });
}

/** The design notes' evaluateSegments, fed with the figures it needs (what a direct port would do). */
function naiveEvaluator(
  segments: readonly { id: string; rules: { field: string; operator: string; value: number }[] }[],
) {
  return (document: ProfileDocument, now: number): string[] => {
    const profile: Record<string, unknown> = { ...document, ...profileFigures(document, now) };
    const matched: string[] = [];
    for (const segment of segments) {
      const ok = segment.rules.every((rule) => {
        const value = profile[rule.field] as number;
        switch (rule.operator) {
          case 'gt':
            return value > rule.value;
          case 'lt':
            return value < rule.value;
          case 'eq':
            return value === rule.value;
          default:
            return false;
        }
      });
      if (ok) matched.push(segment.id);
    }
    return matched;
  };
}

const SEED_SEGMENTS = [
  {
    id: 'high-value-customers',
    rules: [
      { field: 'lifetimeValue', operator: 'gt', value: 500 },
      { field: 'totalPurchases', operator: 'gt', value: 3 },
    ],
  },
  {
    id: 'at-risk-churners',
    rules: [
      { field: 'daysSinceLastVisit', operator: 'gt', value: 30 },
      { field: 'totalPurchases', operator: 'gt', value: 0 },
    ],
  },
  {
    id: 'engaged-non-buyers',
    rules: [
      { field: 'totalPageViews', operator: 'gt', value: 20 },
      { field: 'totalPurchases', operator: 'eq', value: 0 },
      { field: 'daysSinceLastVisit', operator: 'lt', value: 7 },
    ],
  },
];

function heavyDefinitions(): SegmentDefinition[] {
  const rules: SegmentRuleInput[] = [];
  for (let i = 0; i < 20; i += 1) {
    rules.push(
      i % 4 === 0
        ? {
            event: 'Order Completed',
            atLeast: 1 + (i % 3),
            withinDays: 7 + i,
            where: [{ property: 'revenue', operator: 'gte', value: 50 + i }],
          }
        : i % 4 === 1
          ? {
              and: [
                { field: `last${[7, 30, 90][i % 3]}Days.revenue` as string, operator: 'gt', value: 10 * i },
                { not: { field: 'traits.plan', operator: 'eq', value: 'pro' } },
              ],
            }
          : i % 4 === 2
            ? {
                or: [
                  { event: ['Order Completed', 'purchase'], atLeast: 2, withinDays: 30 },
                  { field: 'daysSinceSignup', operator: 'between', value: [i, i + 10] },
                ],
              }
            : {
                and: [
                  { field: 'daysSinceLastVisit', operator: 'gte', value: i },
                  { field: 'totalPurchases', operator: 'in', value: [1, 2, 3] },
                ],
              },
    );
  }
  return rules.map((rule, i) => SegmentDefinition.parse({ id: `heavy-${i}`, name: `Heavy ${i}`, rule }));
}

const loadAtStart = loadavg()[0] ?? 0;
const profiles = makeProfiles();
const seedDefinitions = DEFAULT_SEGMENT_DEFINITIONS.filter((d) => SEED_SEGMENTS.some((s) => s.id === d.id));
const compiled = createSegmentEvaluator(seedDefinitions);
const naive = naiveEvaluator(SEED_SEGMENTS);

// Same answers first, or the comparison means nothing.
for (const { document, activity } of profiles) {
  const a = compiled.evaluate(document, activity, NOW).segmentIds.join(',');
  const b = naive(document, NOW).join(',');
  if (a !== b) throw new Error(`evaluators disagree on ${document.profileId}: ${a} vs ${b}`);
}

let sink = 0;
const naiveOps = bestOpsPerSecond(PROFILES, () => {
  for (const { document } of profiles) sink += naive(document, NOW).length;
});
const compiledOps = bestOpsPerSecond(PROFILES, () => {
  for (const { document, activity } of profiles)
    sink += compiled.evaluate(document, activity, NOW).segmentIds.length;
});
const defaults = createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS);
const defaultsOps = bestOpsPerSecond(PROFILES, () => {
  for (const { document, activity } of profiles)
    sink += defaults.evaluate(document, activity, NOW).segmentIds.length;
});
const nextOps = bestOpsPerSecond(PROFILES, () => {
  for (const { document, activity } of profiles) sink += defaults.nextChangeAt(document, activity, NOW) ?? 0;
});
const heavy = createSegmentEvaluator(heavyDefinitions());
const heavyOps = bestOpsPerSecond(PROFILES, () => {
  for (const { document, activity } of profiles)
    sink += heavy.evaluate(document, activity, NOW).segmentIds.length;
});
const heavyNextOps = bestOpsPerSecond(PROFILES, () => {
  for (const { document, activity } of profiles) sink += heavy.nextChangeAt(document, activity, NOW) ?? 0;
});
if (sink === -1) console.log(sink);

report({
  title: 'Real-time segments: evaluations per second, one core',
  notes: `1-minute load average at start / end: ${loadAtStart.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)} on this shared machine (absolute rates suffer above the core count, ratios less). ${PROFILES} synthetic profiles (up to 90 day buckets, 0 to 50 timeline items). Baseline: the design notes' rule interpreter over profileFigures, same profiles, same three segments, same answers checked first.`,
  rows: [
    {
      metric: 'seed segments, compiled evaluator',
      value: compiledOps,
      unit: 'profiles/s',
      baseline: naiveOps,
      baselineName: 'interpreter over profileFigures',
      ratio: compiledOps / naiveOps,
    },
    {
      metric: 'shipped defaults (5 segments)',
      value: defaultsOps,
      unit: 'profiles/s',
      target: '≥ 200,000 profiles/s (the pipeline evaluates on every profile change)',
      met: defaultsOps >= 200_000,
    },
    { metric: 'nextChangeAt, shipped defaults', value: nextOps, unit: 'profiles/s' },
    { metric: '20 segments with event conditions and property filters', value: heavyOps, unit: 'profiles/s' },
    { metric: 'nextChangeAt, those 20 segments', value: heavyNextOps, unit: 'profiles/s' },
  ],
});
