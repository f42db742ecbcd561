import type { SegmentRuleInput as SegmentRule } from '../../contracts/segment-definition';
import { DEFAULT_SEGMENT_DEFINITIONS } from './definitions';
import { createSegmentEvaluator, SegmentDefinitionError } from './segment-evaluator';
import { bucket, DAY, daysAgo, item, NOW, only, profile } from './test-support';

const seed = createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS);

function matches(
  rule: SegmentRule,
  document = profile(),
  activity = [] as ReturnType<typeof item>[],
  now = NOW,
) {
  return createSegmentEvaluator(only(rule)).evaluate(document, activity, now).segmentIds.includes('s');
}

describe('the seed segments', () => {
  it('puts a big spender in high-value-customers only', () => {
    // Prepare
    const document = profile({ lifetimeValue: 620.5, totalPurchases: 4, totalPageViews: 30 });

    // Act
    const memberships = seed.evaluate(document, [], NOW);

    // Assess
    expect(memberships).toEqual({ profileId: 'profile-1', segmentIds: ['high-value-customers'] });
  });

  it('needs both conditions of high-value-customers', () => {
    expect(seed.evaluate(profile({ lifetimeValue: 620, totalPurchases: 3 }), [], NOW).segmentIds).toEqual([]);
    expect(seed.evaluate(profile({ lifetimeValue: 500, totalPurchases: 9 }), [], NOW).segmentIds).toEqual([]);
  });

  it('makes a buyer at-risk only after more than 30 whole days without a visit', () => {
    const document = profile({ totalPurchases: 1, lifetimeValue: 20, lastSeen: daysAgo(30.5) });

    expect(seed.evaluate(document, [], NOW).segmentIds).toEqual([]);
    expect(seed.evaluate(document, [], NOW + 0.5 * DAY).segmentIds).toEqual(['at-risk-churners']);
  });

  it('never makes a non-buyer at-risk', () => {
    expect(seed.evaluate(profile({ lastSeen: daysAgo(200) }), [], NOW).segmentIds).toEqual([]);
  });

  it('finds engaged non-buyers while they keep visiting', () => {
    const document = profile({ totalPageViews: 21, lastSeen: daysAgo(6.9) });

    expect(seed.evaluate(document, [], NOW).segmentIds).toEqual(['engaged-non-buyers']);
    expect(seed.evaluate({ ...document, lastSeen: daysAgo(7) }, [], NOW).segmentIds).toEqual([]);
    expect(seed.evaluate({ ...document, totalPurchases: 1 }, [], NOW).segmentIds).toEqual([]);
  });
});

describe('operators', () => {
  const document = profile({
    lifetimeValue: 100,
    traits: { plan: 'pro', tags: ['vip', 'beta'], address: { city: 'Lyon' }, 'odd.key': 1, empty: null },
    signup: { timestamp: daysAgo(3), properties: { method: 'google' } },
    eventCounts: { 'Order Completed': 2 },
  });
  const cases: [SegmentRule, boolean][] = [
    [{ field: 'lifetimeValue', operator: 'gt', value: 99.99 }, true],
    [{ field: 'lifetimeValue', operator: 'gt', value: 100 }, false],
    [{ field: 'lifetimeValue', operator: 'gte', value: 100 }, true],
    [{ field: 'lifetimeValue', operator: 'lt', value: 100 }, false],
    [{ field: 'lifetimeValue', operator: 'lte', value: 100 }, true],
    [{ field: 'lifetimeValue', operator: 'eq', value: 100 }, true],
    [{ field: 'lifetimeValue', operator: 'neq', value: 100 }, false],
    [{ field: 'lifetimeValue', operator: 'between', value: [100, 200] }, true],
    [{ field: 'lifetimeValue', operator: 'between', value: [101, 200] }, false],
    [{ field: 'lifetimeValue', operator: 'in', value: [1, 100] }, true],
    [{ field: 'lifetimeValue', operator: 'eq', value: '100' }, false],
    [{ field: 'traits.plan', operator: 'eq', value: 'pro' }, true],
    [{ field: 'traits.plan', operator: 'contains', value: 'pr' }, true],
    [{ field: 'traits.plan', operator: 'in', value: ['free', 'pro'] }, true],
    [{ field: 'traits.plan', operator: 'gt', value: 'free' }, true],
    [{ field: 'traits.plan', operator: 'gt', value: 5 }, false],
    [{ field: 'traits.tags', operator: 'contains', value: 'vip' }, true],
    [{ field: 'traits.tags', operator: 'contains', value: 'vi' }, false],
    [{ field: 'traits.tags', operator: 'in', value: ['beta'] }, true],
    [{ field: 'traits.address.city', operator: 'eq', value: 'Lyon' }, true],
    [{ field: 'traits.odd.key', operator: 'eq', value: 1 }, true],
    [{ field: 'traits.missing', operator: 'exists', value: true }, false],
    [{ field: 'traits.missing', operator: 'exists', value: false }, true],
    [{ field: 'traits.empty', operator: 'exists', value: true }, false],
    [{ field: 'traits.plan', operator: 'exists', value: true }, true],
    [{ field: 'traits.missing', operator: 'neq', value: 'pro' }, false],
    [{ field: 'traits.missing', operator: 'lt', value: 5 }, false],
    [{ field: 'signup.properties.method', operator: 'eq', value: 'google' }, true],
    [{ field: 'daysSinceSignup', operator: 'eq', value: 3 }, true],
    [{ field: 'eventCounts.Order Completed', operator: 'eq', value: 2 }, true],
    [{ field: 'eventCounts.never', operator: 'eq', value: 0 }, true],
    [{ field: 'firstSeen', operator: 'lt', value: '2026-01-01T00:00:00+02:00' }, true],
    [
      {
        field: 'firstSeen',
        operator: 'between',
        value: ['2025-12-21T12:00:00Z', '2025-12-21T12:00:00.000Z'],
      },
      true,
    ],
  ];

  it.each(cases)('%j is %s', (rule, expected) => {
    expect(matches(rule, document)).toBe(expected);
  });

  it('compares ISO times by instant, not by text', () => {
    // firstSeen is 2025-12-21T12:00:00.000Z; the same instant written with an offset is not after it.
    expect(
      matches({ field: 'firstSeen', operator: 'gt', value: '2025-12-21T14:00:00+02:00' }, document),
    ).toBe(false);
    expect(
      matches({ field: 'firstSeen', operator: 'gte', value: '2025-12-21T14:00:00+02:00' }, document),
    ).toBe(true);
  });
});

describe('groups', () => {
  const yes: SegmentRule = { field: 'totalEvents', operator: 'eq', value: 0 };
  const no: SegmentRule = { field: 'totalEvents', operator: 'eq', value: 1 };

  it('nests and, or and not', () => {
    expect(matches({ and: [yes, { or: [no, { not: no }] }] })).toBe(true);
    expect(matches({ and: [yes, { or: [no, { not: yes }] }] })).toBe(false);
    expect(matches({ not: { and: [yes, no] } })).toBe(true);
  });
});

describe('event conditions', () => {
  const document = profile({
    eventCounts: { purchase: 5, 'Order Completed': 1 },
    daily: [
      bucket('2026-02-20', { purchases: 2 }),
      bucket('2026-03-02', { purchases: 1 }),
      bucket('2026-03-30', { purchases: 1, eventCounts: { purchase: 1, 'Order Completed': 1 } }),
    ],
  });

  it('counts an event within D days from the day buckets (today and D-1 days before)', () => {
    expect(matches({ event: 'purchase', atLeast: 2, withinDays: 30 }, document)).toBe(true);
    expect(matches({ event: 'purchase', atLeast: 3, withinDays: 30 }, document)).toBe(false);
    expect(matches({ event: 'purchase', atLeast: 2, withinDays: 29 }, document)).toBe(false);
    expect(matches({ event: ['purchase', 'Order Completed'], atLeast: 3, withinDays: 30 }, document)).toBe(
      true,
    );
  });

  it('counts all time from eventCounts without withinDays, and honours atMost', () => {
    expect(matches({ event: 'purchase', atLeast: 5 }, document)).toBe(true);
    expect(matches({ event: 'purchase', atLeast: 1, atMost: 4 }, document)).toBe(false);
    expect(matches({ not: { event: 'refund' } }, document)).toBe(true);
  });

  it('filters on properties over the recent-activity timeline', () => {
    const activity = [
      item('Order Completed', daysAgo(1), { revenue: 120, products: { category: 'shoes' } }),
      item('Order Completed', daysAgo(10), { revenue: 80, products: { category: 'shoes' } }),
      item('Order Completed', daysAgo(40), { revenue: 300, products: { category: 'shoes' } }),
      item('page_view', daysAgo(1), { revenue: 500 }),
    ];
    const rule = (atLeast: number, withinDays?: number): SegmentRule => ({
      event: 'Order Completed',
      atLeast,
      ...(withinDays === undefined ? {} : { withinDays }),
      where: [
        { property: 'revenue', operator: 'gte', value: 100 },
        { property: 'products.category', operator: 'eq', value: 'shoes' },
      ],
    });

    expect(matches(rule(1, 7), document, activity)).toBe(true);
    expect(matches(rule(2, 90), document, activity)).toBe(true);
    expect(matches(rule(2, 30), document, activity)).toBe(false);
    expect(matches(rule(3), document, activity)).toBe(false);
  });

  it('reads a path across a list of products: any product matches', () => {
    const activity = [
      item('Order Completed', daysAgo(2), {
        products: [
          { category: 'hats', price: 20 },
          { category: 'shoes', price: 90 },
        ],
      }),
    ];
    const bought = (category: string): SegmentRule => ({
      event: 'Order Completed',
      withinDays: 7,
      where: [{ property: 'products.category', operator: 'contains', value: category }],
    });

    expect(matches(bought('shoes'), document, activity)).toBe(true);
    expect(matches(bought('tents'), document, activity)).toBe(false);
    expect(
      matches(
        {
          event: 'Order Completed',
          where: [{ property: 'products.1.category', operator: 'eq', value: 'shoes' }],
        },
        document,
        activity,
      ),
    ).toBe(true);
  });

  it("says whether some rule reads the activity (the pipeline merges the slices' timelines only then)", () => {
    const where: SegmentRule = {
      event: 'Order Completed',
      where: [{ property: 'revenue', operator: 'gt', value: 100 }],
    };
    const readsActivity = (rule: SegmentRule) => createSegmentEvaluator(only(rule)).readsActivity;

    expect(seed.readsActivity).toBe(false);
    expect(readsActivity({ event: 'Order Completed', atLeast: 2, withinDays: 30 })).toBe(false);
    expect(readsActivity({ field: 'totalPurchases', operator: 'gt', value: 0 })).toBe(false);
    expect(readsActivity(where)).toBe(true);
    expect(readsActivity({ ...where, withinDays: 7 })).toBe(true);
    expect(readsActivity({ not: where })).toBe(true);
    expect(
      readsActivity({ or: [{ field: 'totalPurchases', operator: 'gt', value: 0 }, { and: [where] }] }),
    ).toBe(true);
  });
});

describe('time-relative fields', () => {
  it('reads the last 7/30/90 days and today as the Profile API does', () => {
    const document = profile({
      daily: [
        bucket('2026-01-10', { purchases: 1, revenue: 10 }),
        bucket('2026-03-20', { purchases: 1, revenue: 20.1, pageViews: 3 }),
        bucket('2026-03-31', { purchases: 2, revenue: 30.2, pageViews: 1, events: 7 }),
      ],
    });

    expect(matches({ field: 'last7Days.revenue', operator: 'eq', value: 30.2 }, document)).toBe(true);
    expect(matches({ field: 'last30Days.revenue', operator: 'eq', value: 50.3 }, document)).toBe(true);
    expect(matches({ field: 'last90Days.purchases', operator: 'eq', value: 4 }, document)).toBe(true);
    expect(matches({ field: 'last30Days.pageViews', operator: 'eq', value: 4 }, document)).toBe(true);
    expect(matches({ field: 'today.events', operator: 'eq', value: 7 }, document)).toBe(true);
    expect(matches({ field: 'today.purchases', operator: 'eq', value: 2 }, document)).toBe(true);
  });
});

describe('nextChangeAt', () => {
  it('is the moment a buyer becomes at-risk: 31 whole days after the last visit', () => {
    // Prepare
    const lastSeen = daysAgo(2.25);
    const document = profile({ totalPurchases: 1, lifetimeValue: 10, lastSeen });

    // Act
    const next = seed.nextChangeAt(document, [], NOW);

    // Assess
    expect(next).toBe(Date.parse(lastSeen) + 31 * DAY);
    expect(seed.evaluate(document, [], next! - 1).segmentIds).toEqual([]);
    expect(seed.evaluate(document, [], next!).segmentIds).toEqual(['at-risk-churners']);
  });

  it('is the moment an engaged non-buyer drops out after 7 days away', () => {
    const document = profile({ totalPageViews: 25, lastSeen: daysAgo(1) });

    expect(seed.nextChangeAt(document, [], NOW)).toBe(Date.parse(daysAgo(1)) + 7 * DAY);
  });

  it('is undefined when time alone can change nothing', () => {
    expect(seed.nextChangeAt(profile({ totalPageViews: 2 }), [], NOW)).toBeUndefined();
    const statics = createSegmentEvaluator(only({ field: 'lifetimeValue', operator: 'gt', value: 5 }));
    expect(statics.nextChangeAt(profile({ lastSeen: daysAgo(3) }), [], NOW)).toBeUndefined();
  });

  it('is the UTC midnight at which a purchase leaves a D-day window', () => {
    const evaluator = createSegmentEvaluator(only({ event: 'purchase', atLeast: 2, withinDays: 7 }));
    const document = profile({
      daily: [bucket('2026-03-26', { purchases: 1 }), bucket('2026-03-30', { purchases: 1 })],
    });

    expect(evaluator.evaluate(document, [], NOW).segmentIds).toEqual(['s']);
    expect(evaluator.nextChangeAt(document, [], NOW)).toBe(Date.parse('2026-04-02T00:00:00.000Z'));
  });

  it('skips breakpoints at which the segment does not change', () => {
    // 3 purchases: the first one leaving the 7-day window still leaves 2, enough.
    const evaluator = createSegmentEvaluator(only({ event: 'purchase', atLeast: 2, withinDays: 7 }));
    const document = profile({
      daily: [
        bucket('2026-03-25', { purchases: 1 }),
        bucket('2026-03-27', { purchases: 1 }),
        bucket('2026-03-31', { purchases: 1 }),
      ],
    });

    expect(evaluator.nextChangeAt(document, [], NOW)).toBe(Date.parse('2026-04-03T00:00:00.000Z'));
  });

  it('follows filtered events on the timeline out of their window', () => {
    const rule: SegmentRule = {
      event: 'Order Completed',
      withinDays: 30,
      where: [{ property: 'revenue', operator: 'gt', value: 100 }],
    };
    const evaluator = createSegmentEvaluator(only(rule));
    const activity = [item('Order Completed', '2026-03-05T09:00:00.000Z', { revenue: 150 })];

    expect(evaluator.nextChangeAt(profile(), activity, NOW)).toBe(Date.parse('2026-04-04T00:00:00.000Z'));
  });
});

describe('createSegmentEvaluator', () => {
  it('refuses invalid or duplicate definitions, naming each problem', () => {
    const bad = [
      { id: 'a', name: 'A', rule: { field: 'lifetimeValue', operator: 'gt', value: 1 } },
      { id: 'a', name: 'A again', rule: { field: 'nope', operator: 'gt', value: 1 } },
      { id: 'a', name: 'A', rule: { field: 'lifetimeValue', operator: 'gt', value: 1 } },
    ];

    expect(() => createSegmentEvaluator(bad as never)).toThrow(SegmentDefinitionError);
    try {
      createSegmentEvaluator(bad as never);
    } catch (error) {
      expect((error as SegmentDefinitionError).issues).toEqual([
        { path: '[1].rule.field', message: expect.stringContaining('unknown field "nope"') },
        { path: '[2].id', message: 'duplicate segment id a' },
      ]);
    }
  });

  it('applies defaults of definitions written by hand (atLeast = 1)', () => {
    const evaluator = createSegmentEvaluator([{ id: 's', name: 'S', rule: { event: 'purchase' } } as never]);

    expect(evaluator.evaluate(profile({ eventCounts: { purchase: 1 } }), [], NOW).segmentIds).toEqual(['s']);
  });
});
