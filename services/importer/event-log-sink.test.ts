import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { AppendedRecord, EventLog, EventLogRecord } from '../../contracts/ports/event-log';
import { defaultMapping } from '../../test/fixtures/crm-import/vectors';
import { createEventLogSink } from './event-log-sink';
import { importCsv } from './import-csv';

const BASIC = join(__dirname, '../../test/fixtures/crm-import/basic.csv');

/** An in-memory EventLog (our own port) that can be told to fail. */
function memoryLog(failAfter = Number.POSITIVE_INFINITY): EventLog & { batches: EventLogRecord[][] } {
  const batches: EventLogRecord[][] = [];
  return {
    batches,
    async append(records): Promise<readonly AppendedRecord[]> {
      if (batches.length >= failAfter) throw new Error('log unavailable', { cause: 'test' });
      batches.push([...records]);
      return records.map((_, i) => ({ shardId: 'shard-0', sequenceNumber: String(i) }));
    },
  };
}

describe('createEventLogSink', () => {
  it('appends accepted events in batches, keyed by the contact', async () => {
    const log = memoryLog();
    const sink = createEventLogSink({ batchSize: 4 }, { eventLog: log });
    const result = await importCsv(
      { mapping: defaultMapping(), importedAt: '2024-05-01T12:00:00.000Z' },
      createReadStream(BASIC),
      sink,
    );
    await sink.close();
    expect(result.ok && result.value.accepted).toBe(10);
    expect(log.batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(sink.appended()).toBe(10);
    const keys = log.batches.flat().map((r) => r.partitionKey);
    expect(keys.slice(0, 2)).toEqual(['alice@example.com', 'bob.stone@example.com']);
    expect(keys).toContain('crm_id:C-1005');
  });

  it('stops the import when the log refuses a batch', async () => {
    const sink = createEventLogSink({ batchSize: 2 }, { eventLog: memoryLog(1) });
    await expect(
      importCsv(
        { mapping: defaultMapping(), importedAt: '2024-05-01T12:00:00.000Z' },
        createReadStream(BASIC),
        sink,
      ),
    ).rejects.toThrow('log unavailable');
  });
});
