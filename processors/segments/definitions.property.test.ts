import fc from 'fast-check';
import { ruleArb } from './arbitraries';
import { parseSegmentDefinitions } from './definitions';

const ruleish = fc.letrec<{ rule: unknown }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small' },
    fc.record(
      {
        field: fc.constantFrom('lifetimeValue', 'traits.plan', 'daysSinceLastVisit', 'nope', ''),
        operator: fc.constantFrom('gt', 'eq', 'in', 'between', 'exists', 'like'),
        value: fc.oneof(
          fc.integer(),
          fc.string(),
          fc.array(fc.integer(), { maxLength: 3 }),
          fc.constant(null),
        ),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      { event: fc.oneof(fc.string(), fc.integer()), withinDays: fc.integer({ min: -5, max: 200 }) },
      { requiredKeys: ['event'] },
    ),
    fc.record({ and: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ not: tie('rule') }),
    fc.anything(),
  ),
})).rule;

describe('parseSegmentDefinitions on arbitrary input', () => {
  it('never throws, and every refusal names where and why', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({
            segments: fc.array(fc.record({ id: fc.string(), name: fc.string(), rule: ruleish }), {
              maxLength: 3,
            }),
          }),
        ),
        (input) => {
          const result = parseSegmentDefinitions(input);
          if (!result.ok) {
            expect(result.issues.length).toBeGreaterThan(0);
            expect(result.issues.every((i) => typeof i.path === 'string' && i.message.length > 0)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts valid definitions, and accepts again what it gives back (through JSON)', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 3 }), (rules) => {
        const input = { segments: rules.map((rule, i) => ({ id: `s-${i}`, name: `S ${i}`, rule })) };
        const first = parseSegmentDefinitions(input);
        expect(first.ok).toBe(true);
        const again = parseSegmentDefinitions(JSON.parse(JSON.stringify(first.ok && first.value)));
        expect(again).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});
