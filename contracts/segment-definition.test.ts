import { compareValues, isSegmentField, SegmentDefinitionFile, SegmentRule } from './segment-definition';
import { issuesFromZod } from './validation-issue';

function issuesOf(input: unknown) {
  const parsed = SegmentDefinitionFile.safeParse(input);
  return parsed.success ? [] : issuesFromZod(parsed.error);
}

describe('segment definitions', () => {
  it('fills in the defaults: atLeast 1, exists true', () => {
    // Act
    const rule = SegmentRule.parse({
      and: [{ event: 'purchase' }, { field: 'traits.plan', operator: 'exists' }],
    });

    // Assess
    expect(rule).toEqual({
      and: [
        { event: 'purchase', atLeast: 1 },
        { field: 'traits.plan', operator: 'exists', value: true },
      ],
    });
  });

  it('names the path and the reason of every mistake in nested rules', () => {
    // Prepare
    const file = {
      segments: [
        {
          id: 'a',
          name: 'A',
          rule: {
            and: [
              { field: 'lifetimeValue', operator: 'gtt', value: 1 },
              {
                not: {
                  event: 'x',
                  withinDays: 100,
                  where: [{ property: 'a.b', operator: 'between', value: [3, 1] }],
                },
              },
              { field: 'lifetimeValu', operator: 'eq', value: 1 },
              { and: [], or: [] },
              5,
              { or: [] },
              { event: 'x', atLeast: 3, atMost: 2 },
              { field: 'traits.plan', operator: 'in', value: 'pro' },
              { field: 'traits.plan', operator: 'eq', value: 'pro', extra: true },
            ],
          },
        },
      ],
    };

    // Act
    const issues = issuesOf(file);

    // Assess
    expect(issues).toEqual([
      {
        path: 'segments[0].rule.and[0].operator',
        message: expect.stringMatching(/^operator must be one of gt, .*; got "gtt"$/),
      },
      { path: 'segments[0].rule.and[1].not.withinDays', message: expect.stringContaining('at most 90') },
      { path: 'segments[0].rule.and[1].not.where[0].value', message: expect.stringContaining('low <= high') },
      {
        path: 'segments[0].rule.and[2].field',
        message: expect.stringContaining('unknown field "lifetimeValu"'),
      },
      {
        path: 'segments[0].rule.and[3]',
        message: expect.stringContaining('exactly one of and, or, not, field, event; got and and or'),
      },
      { path: 'segments[0].rule.and[4]', message: expect.stringContaining('a rule must be an object') },
      { path: 'segments[0].rule.and[5].or', message: 'a group needs at least one rule' },
      { path: 'segments[0].rule.and[6].atMost', message: 'atMost must be at least atLeast' },
      { path: 'segments[0].rule.and[7].value', message: expect.stringContaining('expected array') },
      { path: 'segments[0].rule.and[8]', message: expect.stringContaining('"extra"') },
    ]);
  });

  it('refuses duplicate ids, ids that are not kebab-case and the warehouse prefix', () => {
    const rule = { field: 'totalEvents', operator: 'gt', value: 0 };

    expect(
      issuesOf({
        segments: [
          { id: 'x', name: 'X', rule },
          { id: 'x', name: 'Y', rule },
        ],
      }),
    ).toEqual([{ path: 'segments[1].id', message: 'duplicate segment id x' }]);
    expect(issuesOf({ segments: [{ id: 'Big Spenders', name: 'X', rule }] })[0]?.path).toBe('segments[0].id');
    expect(issuesOf({ segments: [{ id: 'sql-high-value-customers', name: 'X', rule }] })).toEqual([
      { path: 'segments[0].id', message: expect.stringContaining('warehouse (SQL) segments') },
    ]);
  });

  it('refuses rules nested deeper than the limit instead of recursing without end', () => {
    let rule: unknown = { field: 'totalEvents', operator: 'gt', value: 0 };
    for (let i = 0; i < 40; i += 1) rule = { not: rule };

    const parsed = SegmentRule.safeParse(rule);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('nest at most');
  });

  it('knows the profile fields and the prefixed paths', () => {
    expect(
      [
        'daysSinceLastVisit',
        'last30Days.revenue',
        'traits.address.city',
        'eventCounts.Order Completed',
      ].every(isSegmentField),
    ).toBe(true);
    expect(
      ['traits.', 'last31Days.revenue', 'profile.traits', 'signup.method', 'constructor'].some(
        isSegmentField,
      ),
    ).toBe(false);
  });

  it('orders numbers, ISO times by instant and other strings by text', () => {
    expect(compareValues(2, 10)).toBeLessThan(0);
    expect(compareValues('2026-01-01T02:00:00+02:00', '2026-01-01T00:00:00.000Z')).toBe(0);
    expect(compareValues('b', 'a')).toBeGreaterThan(0);
    expect(compareValues('1', 1)).toBeUndefined();
    expect(compareValues(undefined, 1)).toBeUndefined();
  });
});
