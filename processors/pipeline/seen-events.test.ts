import { SeenEvents } from './seen-events';

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
});
