import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FileEventLog, FileEventLogError, type LogEntry, openFileEventLog } from './file-event-log';
import { openFileLeaseTable, TRIM_HORIZON } from './file-lease-table';
import { logRecords } from './test/log-fixtures';

function readAll(log: FileEventLog, shardId: string, from = 0): LogEntry[] {
  const cursor = log.cursor(shardId, from);
  const out: LogEntry[] = [];
  for (;;) {
    const batch = cursor.read(37);
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

function allIds(log: FileEventLog): string[] {
  return log.shardIds.flatMap((s) => readAll(log, s).map((e) => e.event.eventId));
}

describe('openFileEventLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('appends get increasing sequence numbers per shard and read back in order, also after reopen', async () => {
    // Prepare
    const log = openFileEventLog({ directory: dir, shardCount: 3 });
    const records = logRecords('a', 500);
    // Act
    const appended = [
      ...(await log.append(records.slice(0, 200))),
      ...(await Promise.all([log.append(records.slice(200, 350)), log.append(records.slice(350))])).flat(),
    ];
    await log.close();
    const reopened = openFileEventLog({ directory: dir, shardCount: 3 });
    // Assess
    for (const shardId of reopened.shardIds) {
      const mine = appended.map((a, i) => ({ a, i })).filter(({ a }) => a.shardId === shardId);
      const read = readAll(reopened, shardId);
      expect(read.map((e) => String(e.sequence))).toEqual(mine.map(({ a }) => a.sequenceNumber));
      expect(read.map((e) => e.event)).toEqual(mine.map(({ i }) => records[i]!.event));
      expect(read.map((e) => e.sequence)).toEqual(read.map((_, i) => i));
    }
    expect(
      appended.every((a) => a.shardId === reopened.shardOf(records[appended.indexOf(a)]!.partitionKey)),
    ).toBe(true);
    const more = await reopened.append(logRecords('b', 10));
    expect(more.every((a) => Number(a.sequenceNumber) >= 1)).toBe(true);
    expect(reopened.positions().reduce((n, p) => n + p.end, 0)).toBe(510);
    await reopened.close();
  });

  test('a cursor reads from any sequence number, from memory and from disk alike', async () => {
    // Prepare: a cache smaller than the shard, small segments
    const log = openFileEventLog({
      directory: dir,
      shardCount: 1,
      segmentBytes: 8192,
      cacheRecordsPerShard: 20,
    });
    for (let i = 0; i < 10; i++) await log.append(logRecords(`r${i}`, 30));
    const shard = log.shardIds[0]!;
    // Act
    const fromMiddle = readAll(log, shard, 123);
    const fromCache = readAll(log, shard, 290);
    const cursor = log.cursor(shard, 0);
    const first = cursor.read(5);
    // Assess
    expect(log.positions()[0]!.segments).toBeGreaterThan(3);
    expect(fromMiddle.map((e) => e.sequence)).toEqual(Array.from({ length: 177 }, (_, i) => 123 + i));
    expect(fromCache.map((e) => e.sequence)).toEqual([290, 291, 292, 293, 294, 295, 296, 297, 298, 299]);
    expect(first.map((e) => e.sequence)).toEqual([0, 1, 2, 3, 4]);
    expect(cursor.position()).toBe(5);
    expect(cursor.read(1000).length).toBe(295);
    expect(cursor.read(10)).toEqual([]);
    await log.append(logRecords('late', 3));
    expect(cursor.read(10).map((e) => e.sequence)).toEqual([300, 301, 302]);
    await log.close();
  });

  test('a torn tail (half a record) is truncated on open and the next sequence number reuses its slot', async () => {
    // Prepare
    const log = openFileEventLog({ directory: dir, shardCount: 1 });
    await log.append(logRecords('ok', 5));
    await log.close();
    const shardDir = join(dir, 'shard-000000');
    const segment = join(shardDir, readdirSync(shardDir)[0]!);
    const good = statSync(segment).size;
    const whole = readFileSync(segment);
    appendFileSync(segment, whole.subarray(0, 40)); // a record cut after 40 bytes
    // Act
    const reopened = openFileEventLog({ directory: dir, shardCount: 1 });
    const appended = await reopened.append(logRecords('next', 1));
    // Assess
    expect(reopened.stats().truncatedBytesOnOpen).toBe(40);
    expect(appended[0]!.sequenceNumber).toBe('5');
    expect(readAll(reopened, 'shard-000000').map((e) => e.event.eventId)).toEqual([
      'ok-0',
      'ok-1',
      'ok-2',
      'ok-3',
      'ok-4',
      'next-0',
    ]);
    expect(statSync(segment).size).toBeGreaterThan(good);
    await reopened.close();
  });

  test('a garbled last record (bad checksum) is cut, earlier ones stay', async () => {
    // Prepare
    const log = openFileEventLog({ directory: dir, shardCount: 1 });
    await log.append(logRecords('g', 3));
    await log.close();
    const shardDir = join(dir, 'shard-000000');
    const segment = join(shardDir, readdirSync(shardDir)[0]!);
    const size = statSync(segment).size;
    truncateSync(segment, size - 1); // the last frame loses its last byte: length says more than there is
    // Act
    const reopened = openFileEventLog({ directory: dir, shardCount: 1 });
    // Assess
    expect(readAll(reopened, 'shard-000000').map((e) => e.event.eventId)).toEqual(['g-0', 'g-1']);
    await reopened.close();
  });

  test('a reopen with another shard count is refused with a message naming both', async () => {
    // Prepare
    await openFileEventLog({ directory: dir, shardCount: 2 }).close();
    // Act + Assess
    expect(() => openFileEventLog({ directory: dir, shardCount: 4 })).toThrow(FileEventLogError);
    expect(() => openFileEventLog({ directory: dir, shardCount: 4 })).toThrow(/2 shards.*4/);
  });

  test('retention deletes whole closed segments by size and by age, never the active one', async () => {
    // Prepare
    const log = openFileEventLog({
      directory: dir,
      shardCount: 1,
      segmentBytes: 4096,
      retention: { maxBytesPerShard: 3 * 4096 },
    });
    for (let i = 0; i < 20; i++) await log.append(logRecords(`s${i}`, 20));
    const before = log.positions()[0]!;
    // Act
    const deletedBySize = log.applyRetention(Date.now());
    const afterSize = log.positions()[0]!;
    const shardDir = join(dir, 'shard-000000');
    for (const f of readdirSync(shardDir)) utimesSync(join(shardDir, f), new Date(0), new Date(0));
    const aged = openFileEventLog({ directory: dir, shardCount: 1, retention: { maxAgeMs: 60_000 } });
    const deletedByAge = aged.applyRetention(Date.now());
    // Assess
    expect(deletedBySize).toBeGreaterThan(0);
    expect(afterSize.bytes).toBeLessThanOrEqual(3 * 4096 + 4096);
    expect(afterSize.trimHorizon).toBeGreaterThan(before.trimHorizon);
    expect(readAll(log, 'shard-000000', 0)[0]!.sequence).toBe(afterSize.trimHorizon);
    expect(deletedByAge).toBe(afterSize.segments - 1);
    expect(aged.positions()[0]!.segments).toBe(1);
    expect(aged.positions()[0]!.end).toBe(400);
    await log.close();
    await aged.close();
  });

  test('an erasure rewrites the segments without one person, keeping every other sequence number', async () => {
    // Prepare
    const log = openFileEventLog({ directory: dir, shardCount: 1, segmentBytes: 4096 });
    await log.append(logRecords('e', 200));
    const before = readAll(log, 'shard-000000');
    // Act
    const removed = await log.eraseWhere((e) => e.event.identity.userId === 'u3');
    await log.append(logRecords('after', 7));
    const after = readAll(log, 'shard-000000');
    await log.close();
    const reopened = openFileEventLog({ directory: dir, shardCount: 1 });
    // Assess
    const expected = before.filter((e) => e.event.identity.userId !== 'u3');
    expect(removed).toBe(before.length - expected.length);
    expect(after.slice(0, expected.length).map((e) => [e.sequence, e.event.eventId])).toEqual(
      expected.map((e) => [e.sequence, e.event.eventId]),
    );
    expect(after.slice(expected.length).map((e) => e.sequence)).toEqual([200, 201, 202, 203, 204, 205, 206]);
    expect(readAll(reopened, 'shard-000000').filter((e) => e.event.identity.userId === 'u3').length).toBe(1);
    await reopened.close();
  });

  test('durability none still keeps every appended record across a clean reopen', async () => {
    // Prepare
    const log = openFileEventLog({ directory: dir, shardCount: 2, durability: 'none' });
    // Act
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(logRecords(`n${i}`, 10))));
    await log.close();
    const reopened = openFileEventLog({ directory: dir, shardCount: 2 });
    // Assess
    expect(allIds(reopened).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => Array.from({ length: 10 }, (_, j) => `n${i}-${j}`))
        .flat()
        .sort(),
    );
    await reopened.close();
  });

  test('appends after close are refused, commit listeners hear every commit', async () => {
    // Prepare
    const log = openFileEventLog({ directory: dir, shardCount: 1 });
    let commits = 0;
    log.onCommit(() => commits++);
    // Act
    await log.append(logRecords('c', 2));
    await log.close();
    // Assess
    expect(commits).toBe(1);
    await expect(log.append(logRecords('x', 1))).rejects.toThrow(/closed/);
  });
});

describe('openFileLeaseTable', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leases-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('checkpoints are KCL lease items that survive a reopen', () => {
    // Prepare
    const table = openFileLeaseTable({ directory: dir, application: 'profiles', owner: 'host-1' });
    // Act
    const before = table.checkpointOf('shard-000000');
    table.checkpoint(new Map([['shard-000000', '41']]));
    table.checkpoint(
      new Map([
        ['shard-000000', '99'],
        ['shard-000001', '3'],
      ]),
    );
    const reopened = openFileLeaseTable({ directory: dir, application: 'profiles', owner: 'host-2' });
    // Assess
    expect(before).toBe(TRIM_HORIZON);
    expect(reopened.list()).toEqual([
      {
        leaseKey: 'shard-000000',
        leaseOwner: 'host-1',
        leaseCounter: 2,
        checkpoint: '99',
        checkpointSubSequenceNumber: 0,
        ownerSwitchesSinceCheckpoint: 0,
      },
      {
        leaseKey: 'shard-000001',
        leaseOwner: 'host-1',
        leaseCounter: 1,
        checkpoint: '3',
        checkpointSubSequenceNumber: 0,
        ownerSwitchesSinceCheckpoint: 0,
      },
    ]);
  });
});
