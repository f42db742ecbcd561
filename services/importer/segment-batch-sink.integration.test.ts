import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { defaultMapping } from '../../test/fixtures/crm-import/vectors';
import { startCaptureServer } from '../../test/support/capture-server';
import { importCsv } from './import-csv';
import { createSegmentBatchSink } from './segment-batch-sink';

const BASIC = join(__dirname, '../../test/fixtures/crm-import/basic.csv');
const NOW = '2024-05-01T12:00:00.000Z';
const noWait = { sleep: async () => {} };

describe('createSegmentBatchSink against a listening HTTP server', () => {
  it('sends accepted rows as Segment identify batches with crm_id in context.externalIds', async () => {
    // Prepare
    const server = await startCaptureServer();
    const sink = createSegmentBatchSink({ endpoint: server.url, writeKey: 'wk_test', batchSize: 4 }, noWait);
    try {
      // Act
      const result = await importCsv(
        { mapping: defaultMapping(), importedAt: NOW },
        createReadStream(BASIC),
        sink,
      );
      await sink.close();
      // Assess
      expect(result.ok && result.value.accepted).toBe(10);
      expect(sink.sent()).toBe(10);
      expect(server.requests.map((r) => JSON.parse(r.body).batch.length)).toEqual([4, 4, 2]);
      const first = server.requests[0]!;
      expect(first.method).toBe('POST');
      expect(first.url).toBe('/v1/batch');
      expect(first.headers.authorization).toBe(`Basic ${Buffer.from('wk_test:').toString('base64')}`);
      expect(JSON.parse(first.body).sentAt).toBeUndefined();
      const call = JSON.parse(first.body).batch[0];
      expect(call).toEqual({
        type: 'identify',
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        timestamp: '2024-03-15T00:00:00.000Z',
        traits: {
          email: 'alice@example.com',
          name: 'Alice Martin',
          company: 'Acme Corp',
          crm_lifetime_value: 1234.5,
          last_contact_date: '2024-03-15',
        },
        context: {
          import: { mapping: 'crm-default', row: 1 },
          externalIds: [{ id: 'C-1001', type: 'crm_id', collection: 'users', encoding: 'none' }],
        },
      });
    } finally {
      await server.close();
    }
  });

  it('retries a batch on 503 and fails clearly on 401', async () => {
    const server = await startCaptureServer([503, 200, 401]);
    try {
      const sink = createSegmentBatchSink({ endpoint: server.url, writeKey: 'k', batchSize: 500 }, noWait);
      await importCsv({ mapping: defaultMapping(), importedAt: NOW }, createReadStream(BASIC), sink);
      await sink.close();
      expect(server.requests).toHaveLength(2);
      expect(sink.sent()).toBe(10);

      const failing = createSegmentBatchSink({ endpoint: server.url, writeKey: 'k', batchSize: 500 }, noWait);
      await importCsv({ mapping: defaultMapping(), importedAt: NOW }, createReadStream(BASIC), failing);
      await expect(failing.close()).rejects.toThrow(/collector answered 401/);
    } finally {
      await server.close();
    }
  });
});
