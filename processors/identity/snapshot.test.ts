import fc from 'fast-check';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { Identifier } from '../../contracts/identifier';
import { createIdentityResolver, type IdentityResolver, IdentitySnapshotError } from './resolver';
import { identityEvent as ev } from './test-support';

const anon = (value: string): Identifier => ({ type: 'anonymous_id', value });
const user = (value: string): Identifier => ({ type: 'user_id', value });

function outcome(r: IdentityResolver, ids: readonly Identifier[]) {
  return ids.map((i) => [r.lookup(i)?.profileId, r.explain(i)?.chain.map((l) => `${l.eventId}:${l.status}`)]);
}

describe('snapshot and restore', () => {
  it('restores the same profiles, ids, explanations, cuts and redirects, through JSON', () => {
    // Prepare
    const r = createIdentityResolver();
    const first = r.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'tablet' }));
    r.resolve(
      ev('e2', '2026-01-01T11:00:00.000Z', { anonymousId: 'tablet', userId: 'mom', email: 'mom@x.io' }),
    );
    r.resolve(ev('e3', '2026-01-02T11:00:00.000Z', { anonymousId: 'tablet', userId: 'kid' }));
    r.resolve(ev('e4', '2026-01-03T11:00:00.000Z', { anonymousId: 'phone', email: 'mom@x.io' }));
    r.unmerge({ kind: 'link', a: { type: 'email', value: 'mom@x.io' }, b: anon('phone') });
    const ids = [
      anon('tablet'),
      anon('phone'),
      user('mom'),
      user('kid'),
      { type: 'email', value: 'mom@x.io' },
    ];
    // Act
    const copy = createIdentityResolver();
    copy.restore(JSON.parse(JSON.stringify(r.snapshot())));
    // Assess
    expect(outcome(copy, ids)).toEqual(outcome(r, ids));
    if (!first.ok) throw new Error('expected ok');
    expect(copy.getProfile(first.value.profileId)?.profileId).toBe(r.lookup(user('mom'))?.profileId);
    expect(copy.getProfile(r.lookup(user('kid'))!.profileId)?.identifiers).toEqual([user('kid')]);
    const again = copy.resolve(
      ev('e5', '2026-01-04T11:00:00.000Z', { anonymousId: 'phone', email: 'mom@x.io' }),
    );
    expect(again.ok && again.value.blockedLinks[0]?.status).toBe('severed');
  });

  it('continues exactly like the original after a restore, for random journeys cut at a random point', () => {
    const step = fc.record({
      p: fc.integer({ min: 0, max: 3 }),
      d: fc.integer({ min: 0, max: 3 }),
      minute: fc.integer({ min: 0, max: 9 }),
      user: fc.boolean(),
      email: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 20 }), fc.nat(), (steps, cut) => {
        const events: CanonicalEvent[] = steps.map((s, i) =>
          ev(`e${i}`, `2026-02-01T10:0${s.minute}:00.000Z`, {
            anonymousId: `d${s.d}`,
            userId: s.user ? `u${s.p}` : undefined,
            email: s.email ? `p${s.p}@x.io` : undefined,
          }),
        );
        const at = cut % events.length;
        const original = createIdentityResolver();
        const before = createIdentityResolver();
        events.forEach((e, i) => {
          original.resolve(e);
          if (i < at) before.resolve(e);
        });
        const restored = createIdentityResolver();
        restored.restore(JSON.parse(JSON.stringify(before.snapshot())));
        for (const e of events.slice(at)) restored.resolve(e);
        const ids = [0, 1, 2, 3].flatMap((k) => [
          anon(`d${k}`),
          user(`u${k}`),
          { type: 'email', value: `p${k}@x.io` },
        ]);
        expect(outcome(restored, ids)).toEqual(outcome(original, ids));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a malformed snapshot or a resolver that is not empty', () => {
    const r = createIdentityResolver();
    r.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'a', userId: 'u' }));
    const snap = r.snapshot();
    expect(() => r.restore(snap)).toThrow(IdentitySnapshotError);
    const broken = { ...snap, graph: { ...snap.graph, linkB: [7] } };
    expect(() => createIdentityResolver().restore(broken)).toThrow(/bad link 0/);
    expect(() => createIdentityResolver().restore({ ...snap, version: 2 } as never)).toThrow(/version/);
    const twice = { ...snap, graph: { ...snap.graph, nodeValue: ['same', 'same'], nodeType: [0, 0] } };
    expect(() => createIdentityResolver().restore(twice)).toThrow(IdentitySnapshotError);
  });
});
