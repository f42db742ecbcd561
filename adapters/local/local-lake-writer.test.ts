import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dtPartitionPrefix, GLUE_TABLES } from '../../contracts/aws-resources';
import type { LakeRecord } from '../../contracts/ports/lake-writer';
import { createLocalLakeWriter } from './local-lake-writer';
import { canonicalEvent } from './test/log-fixtures';

function lakeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else out.push(relative(dir, join(d, entry.name)));
    }
  };
  walk(dir);
  return out.sort();
}

function rowsOf(dir: string, file: string): unknown[] {
  return gunzipSync(readFileSync(join(dir, file)))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

const eventRecord = (id: string, timestamp: string): LakeRecord => ({
  table: 'events',
  timestamp,
  row: canonicalEvent(id, 'u1', timestamp),
});

describe('createLocalLakeWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lake-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('checkpoint commits land as GZIP JSON lines in the S3 layout, one file per partition', async () => {
    // Prepare
    const lake = createLocalLakeWriter({ directory: dir, commitMode: 'checkpoint' });
    const merge = {
      into_profile_id: 'p1',
      from_profile_id: 'p2',
      cause_event_id: 'e1',
      cause: '{}',
      merged_at: '2026-12-03T23:59:59.999Z',
    };
    // Act
    await lake.write([
      eventRecord('e1', '2026-12-03T10:00:00.000Z'),
      eventRecord('e2', '2026-12-04T00:00:00.000Z'),
    ]);
    await lake.write([{ table: 'identity_merges', timestamp: merge.merged_at, row: merge }]);
    await lake.flush();
    const beforeCommit = lakeFiles(dir);
    const result = await lake.commit(7);
    // Assess
    const events = GLUE_TABLES.find((t) => t.name === 'events')!;
    expect(beforeCommit).toEqual([]);
    expect(result).toEqual({ files: 3, rows: 3 });
    expect(lakeFiles(dir)).toEqual([
      `${dtPartitionPrefix(events, '2026-12-03')}part-000000000007.json.gz`,
      `${dtPartitionPrefix(events, '2026-12-04')}part-000000000007.json.gz`,
      'identity_merges/dt=2026-12-03/part-000000000007.json.gz',
    ]);
    expect(rowsOf(dir, 'events/dt=2026-12-03/part-000000000007.json.gz')).toEqual([
      canonicalEvent('e1', 'u1', '2026-12-03T10:00:00.000Z'),
    ]);
    expect(rowsOf(dir, 'identity_merges/dt=2026-12-03/part-000000000007.json.gz')).toEqual([merge]);
    expect(lake.stagedRows()).toBe(0);
  });

  test('a replayed checkpoint replaces its files, and files of checkpoints that never completed are discarded', async () => {
    // Prepare: checkpoint 1 done; checkpoint 2 written to the lake, then the process "died"
    const first = createLocalLakeWriter({ directory: dir, commitMode: 'checkpoint' });
    await first.write([eventRecord('a', '2026-12-01T00:00:00.000Z')]);
    await first.commit(1);
    await first.write([
      eventRecord('b', '2026-12-01T01:00:00.000Z'),
      eventRecord('c', '2026-12-02T01:00:00.000Z'),
    ]);
    await first.commit(2);
    // Act: restore from checkpoint 1, replay (this time the checkpoint covers only b)
    const restarted = createLocalLakeWriter({ directory: dir, commitMode: 'checkpoint' });
    const discarded = restarted.discardAfter(1);
    await restarted.write([eventRecord('b', '2026-12-01T01:00:00.000Z')]);
    await restarted.commit(2);
    await restarted.write([eventRecord('c', '2026-12-02T01:00:00.000Z')]);
    await restarted.commit(3);
    // Assess: every row once
    const ids = lakeFiles(dir).flatMap((f) => rowsOf(dir, f).map((r) => (r as { eventId: string }).eventId));
    expect(discarded).toBe(2);
    expect(ids.sort()).toEqual(['a', 'b', 'c']);
  });

  test('flush mode writes a new file per flush', async () => {
    // Prepare
    const lake = createLocalLakeWriter({ directory: dir });
    // Act
    await lake.write([eventRecord('x', '2026-12-01T00:00:00.000Z')]);
    await lake.flush();
    await lake.write([eventRecord('y', '2026-12-01T00:00:00.000Z')]);
    await lake.flush();
    await lake.flush();
    // Assess
    const files = lakeFiles(dir);
    expect(files).toHaveLength(2);
    expect(
      files.flatMap((f) => rowsOf(dir, f).map((r) => (r as { eventId: string }).eventId)).sort(),
    ).toEqual(['x', 'y']);
  });
});
