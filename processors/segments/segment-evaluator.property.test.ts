import fc from 'fast-check';
import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { profileFigures } from '../../contracts/profile-figures';
import type { SegmentRuleInput } from '../../contracts/segment-definition';
import { activityArb, definitionsArb, documentArb, nowArb, ruleArb } from './arbitraries';
import { createSegmentEvaluator } from './segment-evaluator';
import { DAY, only } from './test-support';

const holds = (rule: SegmentRuleInput, document: ProfileDocument, activity: ActivityItem[], now: number) =>
  createSegmentEvaluator(only(rule)).evaluate(document, activity, now).segmentIds.length === 1;

describe('segment evaluator properties', () => {
  it('gives the same answer at every time before nextChangeAt, and a different one at it', () => {
    fc.assert(
      fc.property(
        definitionsArb,
        documentArb,
        activityArb,
        nowArb,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (definitions, document, activity, now, fraction) => {
          // Prepare
          const evaluator = createSegmentEvaluator(definitions, { maxProbes: Number.POSITIVE_INFINITY });

          // Act
          const current = evaluator.evaluate(document, activity, now);
          const next = evaluator.nextChangeAt(document, activity, now);

          // Assess
          const horizon = next ?? now + 400 * DAY;
          expect(horizon).toBeGreaterThan(now);
          const between = now + Math.floor((horizon - now) * fraction);
          expect(evaluator.evaluate(document, activity, between)).toEqual(current);
          expect(evaluator.evaluate(document, activity, horizon - 1)).toEqual(current);
          if (next !== undefined) expect(evaluator.evaluate(document, activity, next)).not.toEqual(current);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers early, never late, when probing is capped', () => {
    fc.assert(
      fc.property(
        definitionsArb,
        documentArb,
        activityArb,
        nowArb,
        (definitions, document, activity, now) => {
          const capped = createSegmentEvaluator(definitions, { maxProbes: 1 }).nextChangeAt(
            document,
            activity,
            now,
          );
          const exact = createSegmentEvaluator(definitions, {
            maxProbes: Number.POSITIVE_INFINITY,
          }).nextChangeAt(document, activity, now);

          if (exact !== undefined) expect(capped).toBeLessThanOrEqual(exact);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('obeys the laws of not, and, or', () => {
    fc.assert(
      fc.property(ruleArb, ruleArb, documentArb, activityArb, nowArb, (a, b, document, activity, now) => {
        const is = (rule: SegmentRuleInput) => holds(rule, document, activity, now);
        const A = is(a);
        const B = is(b);

        expect(is({ not: a })).toBe(!A);
        expect(is({ not: { not: a } })).toBe(A);
        expect(is({ and: [a, b] })).toBe(A && B);
        expect(is({ or: [a, b] })).toBe(A || B);
        expect(is({ and: [b, a] })).toBe(is({ and: [a, b] }));
        expect(is({ not: { and: [a, b] } })).toBe(is({ or: [{ not: a }, { not: b }] }));
        expect(is({ not: { or: [a, b] } })).toBe(is({ and: [{ not: a }, { not: b }] }));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the time-relative fields exactly as the Profile API computes them', () => {
    fc.assert(
      fc.property(documentArb, nowArb, (document, now) => {
        const figures = profileFigures(document, now);
        const expected: [string, number][] = [
          ['daysSinceLastVisit', figures.daysSinceLastVisit],
          ['today.events', figures.today.events],
          ['today.purchases', figures.today.purchases],
          ['today.revenue', figures.today.revenue],
          ['today.pageViews', figures.today.pageViews],
          ...(['last7Days', 'last30Days', 'last90Days'] as const).flatMap((h) =>
            (['purchases', 'revenue', 'pageViews'] as const).map((m): [string, number] => [
              `${h}.${m}`,
              figures[h][m],
            ]),
          ),
          ['sessions.averageDurationMs', figures.sessions.averageDurationMs],
        ];
        for (const [field, value] of expected) {
          expect([field, holds({ field, operator: 'eq', value }, document, [], now)]).toEqual([field, true]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
