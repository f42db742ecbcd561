import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileEventLog } from '../../adapters/local/file-event-log';
import { createFileEventLogSource } from '../../adapters/local/file-event-log-source';
import { openFileLeaseTable } from '../../adapters/local/file-lease-table';
import { logRecords } from '../../adapters/local/test/log-fixtures';
import { fileLocalLog } from './local-log';

describe('fileLocalLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('lag (and caught up: none) counts the records between each reader (or its checkpointed offset) and the log end', async () => {
    // Prepare: 40 records over 2 shards
    const log = openFileEventLog({ directory: join(dir, 'log'), shardCount: 2 });
    const source = createFileEventLogSource(log);
    const leases = openFileLeaseTable({ directory: join(dir, 'leases'), application: 'test', owner: 'me' });
    const local = fileLocalLog(log, source, leases, 'test');
    await log.append(logRecords('e', 40));
    const [first, second] = log.shardIds;
    const ends = new Map(log.positions().map((p) => [p.shardId, p.end]));

    // Act: the first shard's reader reads 5; the second is not opened, checkpointed at 3
    const before = local.consumer.lag?.(new Map());
    const caughtUpBefore = local.consumer.caughtUp(new Map());
    source.createReader(first as string, undefined).poll(5);
    const checkpointed = new Map([[second as string, '3']]);
    const after = local.consumer.lag?.(checkpointed);
    for (const shard of log.shardIds) source.createReader(shard, undefined).poll(1_000);
    const drained = local.consumer.lag?.(checkpointed);
    const caughtUpAtEnd = local.consumer.caughtUp(checkpointed);

    // Assess
    expect(before).toBe(40);
    expect(caughtUpBefore).toBe(false);
    expect(after).toBe(40 - 5 - 3);
    expect((ends.get(first as string) ?? 0) + (ends.get(second as string) ?? 0)).toBe(40);
    expect(drained).toBe(0);
    expect(local.consumer.caughtUp(new Map())).toBe(true);
    expect(caughtUpAtEnd).toBe(true);
    await log.close();
  });
});
