import fc from 'fast-check';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { createIdentityResolver } from '../identity';
import { createIdentityFastPath } from './identity-fast-path';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');

const arbEvent = fc
  .record({
    userId: fc.option(fc.constantFrom('u1', 'u2', 'null'), { nil: undefined }),
    anonymousId: fc.constantFrom('a1', 'tablet'),
    email: fc.option(fc.constantFrom('x@example.org', 'y@example.org', 'test@example.com'), {
      nil: undefined,
    }),
    jitter: fc.integer({ min: -6, max: 3 }),
  })
  .map(({ jitter, ...identity }) => ({ identity, jitter }));

/** Mostly in time order (a minute apart), some events up to a few minutes late. */
function toEvents(raw: { identity: CanonicalEvent['identity']; jitter: number }[]): CanonicalEvent[] {
  return raw.map(({ identity, jitter }, i) => {
    const timestamp = new Date(T0 + (i + jitter) * 60_000).toISOString();
    return {
      eventId: `e-${String(i).padStart(3, '0')}`,
      type: 'track',
      eventName: 'x',
      timestamp,
      receivedAt: timestamp,
      source: 'web',
      identity: Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined)),
      properties: {},
      traits: {},
      context: {},
    };
  });
}

describe('createIdentityFastPath', () => {
  it('answers exactly what the resolver would, and leaves the graph as the resolver alone does', () => {
    let totalHits = 0;
    fc.assert(
      fc.property(fc.array(arbEvent, { minLength: 20, maxLength: 60 }), (raw) => {
        // Prepare
        const events = toEvents(raw);
        const plain = createIdentityResolver();
        const fast = createIdentityResolver();
        const known = createIdentityFastPath(fast);
        let hits = 0;
        for (const event of events) {
          const t = Date.parse(event.timestamp);
          // Act
          const expected = plain.resolve(event);
          const hit = known.lookup(event, t);
          let got: { profileId: string; primary: string } | undefined;
          if (hit !== undefined) {
            hits++;
            got = { profileId: hit.profileId, primary: hit.sliceKey };
          } else {
            const r = fast.resolve(event);
            known.remember(event, t, r);
            if (r.ok) {
              const p = r.value.primaryIdentifier;
              got = { profileId: r.value.profileId, primary: `${p.type}:${p.value}` };
            }
          }
          // Assess
          if (!expected.ok) expect(got).toBeUndefined();
          else {
            const p = expected.value.primaryIdentifier;
            expect(got).toEqual({ profileId: expected.value.profileId, primary: `${p.type}:${p.value}` });
            if (hit !== undefined) {
              expect(expected.value.merges).toEqual([]);
              expect(expected.value.reassignments).toEqual([]);
              expect(expected.value.splits).toEqual([]);
            }
          }
        }
        expect(fast.snapshot()).toEqual(plain.snapshot());
        totalHits += hits;
      }),
      { numRuns: 300 },
    );
    expect(totalHits).toBeGreaterThan(500);
  });

  it('hits for a repeated identity at a later time only', () => {
    const resolver = createIdentityResolver();
    const known = createIdentityFastPath(resolver);
    const [first, later] = toEvents([
      { identity: { userId: 'u1', anonymousId: 'a1' }, jitter: 0 },
      { identity: { userId: 'u1', anonymousId: 'a1' }, jitter: 0 },
    ]) as [CanonicalEvent, CanonicalEvent];
    known.remember(first, Date.parse(first.timestamp), resolver.resolve(first));
    expect(known.lookup(later, Date.parse(later.timestamp))?.profileId).toBe(
      resolver.profileIdOf({ type: 'user_id', value: 'u1' }),
    );
    expect(known.lookup(first, Date.parse(first.timestamp))).toBeUndefined();
    known.invalidate();
    expect(known.lookup(later, Date.parse(later.timestamp))).toBeUndefined();
  });
});
