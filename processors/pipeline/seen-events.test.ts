import { foldCheckpoints, isKeyedTable, rawTable } from '../engine/checkpoint/keyed-table';
import { SeenEvents, type SeenEventsSnapshot } from './seen-events';

describe('SeenEvents', () => {
  it('counts an id as seen until the window has passed since it was first stored, across a snapshot', () => {
    // Prepare
    let now = 1_000;
    const seen = new SeenEvents(100, () => now);

    // Act
    const first = seen.checkAndAdd('e1');
    now = 1_099;
    const within = seen.checkAndAdd('e1');
    const restored = new SeenEvents(100, () => now);
    restored.restore(seen.snapshot());
    const afterRestore = restored.checkAndAdd('e1');
    now = 1_100;
    const expired = restored.checkAndAdd('e1');
    const againWithin = restored.checkAndAdd('e1');

    // Assess
    expect([first, within, afterRestore, expired, againWithin]).toEqual([false, true, true, false, true]);
  });

  it('leaves expired ids out of snapshots and reads them as unseen', () => {
    // Prepare
    let now = 0;
    const seen = new SeenEvents(10, () => now);
    for (let i = 0; i < 70_000; i++) seen.checkAndAdd(`old-${i}`);
    now = 10;

    // Act
    seen.checkAndAdd('new');

    // Assess
    expect(seen.snapshot()).toEqual([['new', 10]]);
    expect(seen.checkAndAdd('old-1')).toBe(false);
  });

  it('with incremental checkpoints, snapshots hold the ids added and swept since the previous one; the folded chain restores the set', () => {
    // Prepare
    let now = 0;
    const seen = new SeenEvents(100, () => now, { incremental: true });
    const chain: SeenEventsSnapshot[] = [];

    // Act
    for (let i = 0; i < 5; i++) seen.checkAndAdd(`a${i}`);
    chain.push(seen.snapshot());
    now = 50;
    seen.checkAndAdd('b');
    seen.checkAndAdd('a1'); // a duplicate: not a change
    chain.push(seen.snapshot());
    now = 120; // every a* has expired; 70,000 new ids make the set sweep them
    for (let i = 0; i < 70_000; i++) seen.checkAndAdd(`c${i}`);
    const third = seen.snapshot();
    chain.push(third);
    const restored = new SeenEvents(100, () => now, { incremental: true });
    restored.restore(foldCheckpoints(chain) as SeenEventsSnapshot);

    // Assess
    expect(chain.map((s) => (isKeyedTable(s) ? s.entries.length : -1)).slice(0, 2)).toEqual([5, 1]);
    expect(isKeyedTable(third) ? [...third.removed].sort() : []).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(restored.checkAndAdd('b')).toBe(true);
    expect(restored.checkAndAdd('c69999')).toBe(true);
    expect(restored.checkAndAdd('a1')).toBe(false);
    expect(restored.snapshot()).toEqual(rawTable([['a1', 120]], []));
  });
});
