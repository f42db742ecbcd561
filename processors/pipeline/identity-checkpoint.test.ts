import fc from 'fast-check';
import { foldCheckpoints } from '../engine/checkpoint/keyed-table';
import { createIdentityResolver, GRAPH_CHUNK } from '../identity';
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

  it('after a restore the next delta holds only the chunks changed since; a whole delta starts a new chain', () => {
    // Prepare: two chunks of identifiers (one link each between a device and a user)
    const live = createIdentityResolver();
    const count = GRAPH_CHUNK + 100;
    for (let i = 0; i < count / 2; i++)
      live.resolve(ev(`e${i}`, '2026-01-01T10:00:00.000Z', { anonymousId: `a${i}`, userId: `u${i}` }));
    const whole = live.snapshot();
    const restored = createIdentityResolver();
    restored.restore(whole);

    // Act
    const empty = restored.takeDelta();
    const late = ev('late', '2026-01-01T11:00:00.000Z', {
      anonymousId: 'a-new',
      userId: `u${count / 2 - 1}`,
    });
    restored.resolve(late);
    live.resolve(late);
    const later = incrementalIdentityOf(restored.takeDelta(), false);
    const all = incrementalIdentityOf(restored.takeDelta(true), true);
    const folded = (
      foldCheckpoints([{ identity: whole }, { identity: all }]) as { identity: IdentityCheckpoint }
    ).identity;

    // Assess
    expect([empty.graph.nodes.length, empty.graph.links.length, empty.issued.length]).toEqual([0, 0, 0]);
    expect(later.nodes.entries.map(([c]) => c)).toEqual([1]);
    expect(later.links.entries.map(([c]) => c)).toEqual([0]);
    expect(all.nodes.entries.map(([c]) => c)).toEqual([0, 1]);
    expect(identitySnapshotOf(folded)).toEqual(live.snapshot());
    expect(() => identitySnapshotOf({ ...all, nodeCount: count + 2 })).toThrow(/identity checkpoint/);
    expect(() =>
      identitySnapshotOf({ ...all, nodes: { ...all.nodes, entries: all.nodes.entries.slice(1) } }),
    ).toThrow(/identity checkpoint/);
  });
});
