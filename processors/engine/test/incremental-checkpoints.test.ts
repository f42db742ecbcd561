import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { type Checkpoint, InMemoryCheckpointStorage, InMemoryKeyedStateBackend } from '..';
import { CheckpointFileError, readCheckpointFile, writeCheckpointFile } from '../checkpoint/checkpoint-files';
import { FileCheckpointStorage } from '../checkpoint/file-checkpoint-storage';
import { IncrementalFileCheckpointStorage } from '../checkpoint/incremental-file-checkpoint-storage';
import {
  foldCheckpoints,
  isKeyedTable,
  type KeyedTableSnapshot,
  rawTable,
  TableCapture,
  tableEntries,
} from '../checkpoint/keyed-table';
import { createInMemoryStateBackend, ManualClock, ValueStateDescriptor } from '../index';
import type { KeyedStateSnapshot } from '../state/state-backend';
import { sessionSumJob, type TimedKV } from './fixtures';

// files, fsyncs and compactions: seconds on a loaded machine (Jest's default of 5 s failed once there)
jest.setTimeout(60_000);

interface Counter {
  n: number;
  tags: string[];
}

/** A keyed backend with one value state, and helpers to change keys the way operators do. */
function counters(incremental: boolean) {
  const backend = new InMemoryKeyedStateBackend(new ManualClock(0), { incremental });
  const state = backend.getValueState(new ValueStateDescriptor<Counter>('counter'));
  return {
    backend,
    /** Reads the key's value and changes it in place, then writes it back (as the profile pipeline does). */
    bump(key: string, tag: string) {
      backend.setCurrentKey(key);
      const c = state.value() ?? { n: 0, tags: [] };
      c.n++;
      c.tags.push(tag);
      state.update(c);
    },
    remove(key: string) {
      backend.setCurrentKey(key);
      state.clear();
    },
    all(): Record<string, Counter> {
      const out: Record<string, Counter> = {};
      for (const k of [...backend.keys('counter')].sort()) {
        backend.setCurrentKey(k);
        out[String(k)] = structuredClone(state.value() as Counter);
      }
      return out;
    },
  };
}

const checkpointOf = (id: number, keyed: KeyedStateSnapshot, extra: unknown = null): Checkpoint => ({
  checkpointId: id,
  jobName: 'job',
  takenAt: id,
  parallelism: 1,
  tasks: [
    {
      taskIndex: 0,
      partitions: [
        {
          partition: 'p0',
          offset: String(id * 10),
          ended: false,
          watermarkState: null,
          watermark: 0,
          idle: false,
        },
      ],
      combinedWatermark: id,
      operators: [{ operatorId: 'op', state: { keyed, extra } }],
    },
  ],
});

function keyedOf(c: Checkpoint | undefined): KeyedStateSnapshot {
  const state = c?.tasks[0]?.operators[0]?.state as { keyed: KeyedStateSnapshot } | undefined;
  if (state === undefined) throw new Error('no checkpoint');
  return state.keyed;
}

describe('incremental checkpoints (IncrementalFileCheckpointStorage)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'engine-incr-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('restoring base + several deltas gives the state at the last checkpoint; each delta holds only changed keys', async () => {
    // Prepare
    const live = counters(true);
    const storage = new IncrementalFileCheckpointStorage({ directory: dir, compactAtDeltas: 100 });
    const deltaSizes: number[] = [];

    // Act: 4 checkpoints, each after changing a few keys (one removed in between)
    for (let k = 0; k < 50; k++) live.bump(`k${k}`, 'a');
    await storage.store(checkpointOf(1, live.backend.snapshot()));
    live.bump('k1', 'b');
    live.bump('k2', 'b');
    live.remove('k3');
    let snap = live.backend.snapshot();
    deltaSizes.push(snap.byName?.counter?.removed.length ?? -1);
    await storage.store(checkpointOf(2, snap, { note: 'second' }));
    live.bump('k3', 'c'); // back after its removal
    live.bump('k60', 'c');
    snap = live.backend.snapshot();
    await storage.store(checkpointOf(3, snap));
    live.bump('k1', 'd');
    const large = {
      note: 'fourth',
      column: Array.from({ length: 40_000 }, (_, i) => i * 3),
      pairs: Array.from({ length: 20_000 }, (_, i) => [i, `k${i}`]),
    };
    await storage.store(checkpointOf(4, live.backend.snapshot(), large));
    const restored = counters(true);
    const latest = storage.latest('job');
    restored.backend.restore(keyedOf(latest));

    // Assess
    expect(restored.all()).toEqual(live.all());
    expect(latest?.checkpointId).toBe(4);
    expect(latest?.tasks[0]?.partitions[0]?.offset).toBe('40');
    expect((latest?.tasks[0]?.operators[0]?.state as { extra?: unknown } | undefined)?.extra).toEqual(large);
    expect(deltaSizes).toEqual([1]);
    expect(readdirSync(dir).sort()).toEqual([
      'job-000000000001.delta',
      'job-000000000002.delta',
      'job-000000000003.delta',
      'job-000000000004.delta',
      'job.manifest',
    ]);
  });

  test('a key changed after the barrier is restored as it was at the barrier (copy-on-write)', async () => {
    // Prepare
    const live = counters(true);
    const storage = new IncrementalFileCheckpointStorage({ directory: dir });
    for (let k = 0; k < 2000; k++) live.bump(`k${k}`, 'before');
    const atBarrier = live.all();

    // Act: the snapshot is only captured; keys change (in place) before the file is written
    const taken = checkpointOf(1, live.backend.snapshot());
    live.bump('k1999', 'after');
    live.bump('k0', 'after');
    live.remove('k5');
    await storage.store(taken);
    const restored = counters(true);
    restored.backend.restore(keyedOf(storage.latest('job')));

    // Assess
    expect(restored.all()).toEqual(atBarrier);
  });

  test('compaction folds the chain into a base; restore after it reads base + later deltas', async () => {
    // Prepare
    const live = counters(true);
    const storage = new IncrementalFileCheckpointStorage({
      directory: dir,
      compactAtDeltas: 3,
      compactMinBytes: 0,
    });

    // Act
    for (let id = 1; id <= 7; id++) {
      for (let k = 0; k < 10; k++) live.bump(`k${(id * 7 + k) % 40}`, `t${id}`);
      if (id === 4) live.remove('k0');
      await storage.store(checkpointOf(id, live.backend.snapshot()));
      await storage.idle();
    }
    const restored = counters(true);
    restored.backend.restore(keyedOf(storage.latest('job')));
    const reopened = counters(true);
    reopened.backend.restore(keyedOf(new IncrementalFileCheckpointStorage({ directory: dir }).latest('job')));

    // Assess
    const files = readdirSync(dir).sort();
    expect(files.filter((f) => f.endsWith('.base'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.delta')).length).toBeLessThan(3);
    expect(restored.all()).toEqual(live.all());
    expect(reopened.all()).toEqual(live.all());
  });

  test('a delta file the manifest does not name (a crash while it was written) is ignored, then replaced', async () => {
    // Prepare
    const live = counters(true);
    const storage = new IncrementalFileCheckpointStorage({ directory: dir });
    live.bump('a', '1');
    await storage.store(checkpointOf(1, live.backend.snapshot()));
    const atOne = live.all();
    live.bump('b', '2');
    await storage.store(checkpointOf(2, live.backend.snapshot()));
    const atTwo = live.all();
    // the process died while writing checkpoint 3: a partial delta and a temporary file remain
    writeFileSync(join(dir, 'job-000000000003.delta'), 'TCK2 half written');
    writeFileSync(join(dir, 'job-000000000003.delta.tmp'), 'half');

    // Act
    const afterCrash = new IncrementalFileCheckpointStorage({ directory: dir });
    const latest = afterCrash.latest('job');
    const restored = counters(true);
    restored.backend.restore(keyedOf(latest));
    restored.bump('c', '3');
    await afterCrash.store(checkpointOf(3, restored.backend.snapshot()));
    const again = counters(true);
    again.backend.restore(keyedOf(new IncrementalFileCheckpointStorage({ directory: dir }).latest('job')));

    // Assess
    expect(latest?.checkpointId).toBe(2);
    expect(restored.all()).toEqual({ ...atTwo, c: { n: 1, tags: ['3'] } });
    expect(again.all()).toEqual(restored.all());
    expect(atOne).not.toEqual(atTwo);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a torn or damaged file that the manifest names is an error, never partial state', async () => {
    // Prepare
    const live = counters(true);
    const storage = new IncrementalFileCheckpointStorage({ directory: dir });
    for (let k = 0; k < 3000; k++) live.bump(`k${k}`, 'x');
    await storage.store(checkpointOf(1, live.backend.snapshot()));
    const file = join(dir, 'job-000000000001.delta');

    // Act
    truncateSync(file, 5000);
    const torn = () => new IncrementalFileCheckpointStorage({ directory: dir }).latest('job');

    // Assess
    expect(torn).toThrow(CheckpointFileError);
  });

  test('a directory of whole checkpoints (the older format) is restored, and the next delta holds everything', async () => {
    // Prepare: a whole checkpoint written by the older storage
    const old = counters(false);
    for (let k = 0; k < 20; k++) old.bump(`k${k}`, 'old');
    new FileCheckpointStorage({ directory: dir }).store(checkpointOf(5, old.backend.snapshot()));
    const storage = new IncrementalFileCheckpointStorage({ directory: dir });

    // Act
    const restored = counters(true);
    restored.backend.restore(keyedOf(storage.latest('job')));
    restored.bump('k1', 'new');
    await storage.store(checkpointOf(6, restored.backend.snapshot()));
    const again = counters(true);
    again.backend.restore(keyedOf(new IncrementalFileCheckpointStorage({ directory: dir }).latest('job')));

    // Assess
    expect(again.all()).toEqual(restored.all());
    expect(Object.keys(again.all())).toHaveLength(20);
    expect(readdirSync(dir).sort()).toEqual(['job-000000000006.delta', 'job.manifest']);
  });

  test('a job with an incremental state backend restored from delta checkpoints finishes like an uninterrupted run', async () => {
    // Prepare
    const events: TimedKV[] = Array.from({ length: 80 }, (_, i) => ({
      key: `k${i % 7}`,
      value: i,
      ts: i * 11,
    }));
    const build = () => {
      const checkpointStorage = new IncrementalFileCheckpointStorage({
        directory: dir,
        compactAtDeltas: 2,
        compactMinBytes: 0,
      });
      const job = sessionSumJob(events, {
        checkpointStorage,
        stateBackend: createInMemoryStateBackend({ incremental: true }),
      });
      return { ...job, checkpointStorage };
    };
    const whole = build();
    whole.env.createJob('whole').runToCompletion();

    // Act: checkpoints every few rounds, then a "crash" and a restore from the chain
    const first = build();
    const job = first.env.createJob('incr');
    for (let i = 0; i < 6; i++) {
      await job.stepAsync();
      await job.stepAsync();
      await job.checkpointAsync();
    }
    const emittedAtCheckpoint = first.sink.values.length;
    await job.stepAsync(); // processed, never checkpointed: replayed after the restore
    // the crashed job's background compaction may still be writing into the folder
    await first.checkpointStorage.idle();
    const taken = new IncrementalFileCheckpointStorage({ directory: dir }).latest('incr');
    const second = build();
    second.env.createJob('incr', { restoreFrom: taken }).runToCompletion();
    await second.checkpointStorage.idle();
    await whole.checkpointStorage.idle();

    // Assess
    const keyed = (taken?.tasks[0]?.operators ?? [])
      .map((o) => (o.state as { keyed?: KeyedStateSnapshot } | undefined)?.keyed)
      .find((k) => k?.byName !== undefined);
    expect(Object.values(keyed?.byName ?? {}).every(isKeyedTable)).toBe(true);
    expect(taken?.checkpointId).toBe(6);
    expect([...first.sink.values.slice(0, emittedAtCheckpoint), ...second.sink.values]).toEqual(
      whole.sink.values,
    );
  });
});

describe('incremental state backend with a storage that copies at once', () => {
  test('InMemoryCheckpointStorage gets every captured value (captures are serialized before the copy)', () => {
    // Prepare
    const live = counters(true);
    for (let k = 0; k < 300; k++) live.bump(`k${k}`, 'x');
    const storage = new InMemoryCheckpointStorage();

    // Act
    storage.store(checkpointOf(1, live.backend.snapshot()));
    live.bump('k1', 'after');
    const restored = counters(true);
    restored.backend.restore(keyedOf(foldCheckpoints([storage.latest('job')]) as Checkpoint));

    // Assess
    expect(Object.keys(restored.all())).toHaveLength(300);
    expect(restored.all().k1).toEqual({ n: 1, tags: ['x'] });
  });
});

describe('TableCapture.ofKeys (values read when serialized)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lazy-capture-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('keys found removed while serializing reach the file, and a copied key keeps its value at the barrier', async () => {
    // Prepare: a base holding a, b, c; then b is removed and c and d change before the barrier
    const live = new Map<string, { n: number }>([
      ['a', { n: 1 }],
      ['b', { n: 1 }],
      ['c', { n: 1 }],
    ]);
    const base = rawTable(
      [...live].map(([k, v]) => [k, { ...v }] as const),
      [],
      false,
    );
    live.delete('b');
    live.set('c', { n: 2 });
    live.set('d', { n: 1 });
    const capture = TableCapture.ofKeys(new Set(['b', 'c', 'd']), (k: string) =>
      live.has(k) ? { ...live.get(k) } : undefined,
    );

    // Act: the owner changes c after the barrier (copying it first), then the capture is written and read
    capture.copyNow('c');
    live.set('c', { n: 3 });
    const path = join(dir, 'delta');
    await writeCheckpointFile(path, { table: capture });
    const delta = readCheckpointFile(path) as { table: KeyedTableSnapshot<string> };
    const folded = foldCheckpoints([
      { table: { ...base, encoding: 'v8', entries: base.entries.map(([k, v]) => [k, serialize(v)]) } },
      delta,
    ]) as {
      table: KeyedTableSnapshot<string>;
    };

    // Assess
    expect(delta.table.removed).toEqual(['b']);
    expect(Object.fromEntries(tableEntries<string, { n: number }>(folded.table))).toEqual({
      a: { n: 1 },
      c: { n: 2 },
      d: { n: 1 },
    });
  });

  test('an immutable capture keeps a replaced value by reference, serialized only when drained', () => {
    // Prepare: values the owner replaces, never changes in place
    const live = new Map<string, { n: number }>([['a', { n: 1 }]]);
    const capture = TableCapture.ofKeys(new Set(['a', 'b']), (k: string) => live.get(k), { immutable: true });

    // Act: a is replaced after the barrier (kept, not serialized); b, gone at the barrier, is written
    capture.copyNow('a');
    live.set('a', { n: 2 });
    capture.copyNow('b');
    live.set('b', { n: 5 });
    const serializedOnWrite = capture.takeSerialized().length;
    const pendingAfterWrites = capture.isPending();
    const done = capture.drain(Number.POSITIVE_INFINITY);

    // Assess
    expect(serializedOnWrite).toBe(0);
    expect(pendingAfterWrites).toBe(true);
    expect(done).toBe(true);
    expect(capture.removed).toEqual(['b']);
    expect(tableEntries<string, { n: number }>({ ...capture, delta: false })).toEqual([['a', { n: 1 }]]);
  });

  test('encode turns the value read into what is stored, when serialized; undefined is a removal', () => {
    // Prepare: the owner holds packed values; the checkpoint keeps the unpacked form
    const live = new Map<string, string>([
      ['a', '1,2'],
      ['b', '3'],
      ['c', ''],
    ]);
    const encoded: string[] = [];
    const capture = TableCapture.ofKeys(new Set(['a', 'b', 'c']), (k: string) => live.get(k), {
      immutable: true,
      encode: (packed) => {
        encoded.push(packed as string);
        return packed === '' ? undefined : (packed as string).split(',').map(Number);
      },
    });

    // Act: a is replaced after the barrier (kept by reference, encoded only when drained)
    capture.copyNow('a');
    live.set('a', '9');
    const encodedOnWrite = encoded.length;
    capture.drain(Number.POSITIVE_INFINITY);

    // Assess
    expect(encodedOnWrite).toBe(0);
    expect(capture.removed).toEqual(['c']);
    expect(tableEntries<string, number[]>({ ...capture, delta: false }).sort()).toEqual([
      ['a', [1, 2]],
      ['b', [3]],
    ]);
  });
});
