import fc from 'fast-check';
import { foldCheckpoints } from '../engine/checkpoint/keyed-table';
import { createIdentityResolver } from '../identity';
import { identityEvent as ev } from '../identity/test-support';
import {
  type IdentityCheckpoint,
  identitySnapshotOf,
  incrementalIdentityOf,
  isIncrementalIdentity,
} from './identity-checkpoint';

/** A random identity journey: events over few devices, users and emails, out of order. */
const journey = fc.array(
  fc.record({
    anon: fc.integer({ min: 0, max: 5 }),
    user: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    email: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    minute: fc.integer({ min: 0, max: 59 }),
    checkpoint: fc.boolean(),
  }),
  { minLength: 1, maxLength: 40 },
);

describe('incremental identity checkpoints', () => {
  it('a chain of deltas (links and identifiers moved earlier by late events included) folds to the whole snapshot', () => {
    fc.assert(
      fc.property(journey, (steps) => {
        // Prepare
        const live = createIdentityResolver();
        const chain: { identity: IdentityCheckpoint }[] = [];

        // Act: events in random time order, a delta taken after some of them
        steps.forEach((s, i) => {
          live.resolve(
            ev(`e${i}`, `2026-01-01T10:${String(s.minute).padStart(2, '0')}:00.000Z`, {
              anonymousId: `a${s.anon}`,
              ...(s.user === undefined ? {} : { userId: `u${s.user}` }),
              ...(s.email === undefined ? {} : { email: `m${s.email}@x.io` }),
            }),
          );
          live.lookup({ type: 'anonymous_id', value: `a${s.anon}` }); // hands out profile ids
          if (s.checkpoint) chain.push({ identity: incrementalIdentityOf(live.takeDelta(), false) });
        });
        chain.push({ identity: incrementalIdentityOf(live.takeDelta(), false) });
        const folded = (foldCheckpoints(chain) as { identity: IdentityCheckpoint }).identity;
        const restored = createIdentityResolver();
        restored.restore(identitySnapshotOf(folded));

        // Assess
        expect(isIncrementalIdentity(folded)).toBe(true);
        expect(identitySnapshotOf(folded)).toEqual(live.snapshot());
        expect(restored.snapshot()).toEqual(live.snapshot());
      }),
      { numRuns: 200 },
    );
  });

  it('after a restore the next delta holds only later changes; a whole delta starts a new chain', () => {
    // Prepare
    const live = createIdentityResolver();
    live.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'a1', userId: 'u1' }));
    const whole = live.snapshot();
    const restored = createIdentityResolver();
    restored.restore(whole);

    // Act
    const empty = restored.takeDelta();
    restored.resolve(ev('e2', '2026-01-01T11:00:00.000Z', { anonymousId: 'a2', userId: 'u1' }));
    live.resolve(ev('e2', '2026-01-01T11:00:00.000Z', { anonymousId: 'a2', userId: 'u1' }));
    const later = incrementalIdentityOf(restored.takeDelta(), false);
    const all = incrementalIdentityOf(restored.takeDelta(true), true);

    // Assess
    expect([empty.graph.nodes.length, empty.graph.links.length]).toEqual([0, 0]);
    expect(later.nodes.entries.map(([x]) => x)).toEqual([2]);
    expect(later.links.entries.map(([l]) => l)).toEqual([1]);
    expect(
      identitySnapshotOf(
        (foldCheckpoints([{ identity: whole }, { identity: all }]) as { identity: IdentityCheckpoint })
          .identity,
      ),
    ).toEqual(live.snapshot());
    expect(() =>
      identitySnapshotOf({
        ...later,
        nodes: { ...later.nodes, delta: false },
        links: { ...later.links, delta: false },
        issued: { ...later.issued, delta: false },
      }),
    ).toThrow(/outside/);
  });
});
