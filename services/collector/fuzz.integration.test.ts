import fc from 'fast-check';
import type { AppendedRecord, EventLog, EventLogRecord } from '../../contracts/ports/event-log';
import { send } from './test/http-post';
import { basicAuth, type RunningCollector, startCollector } from './test/start-collector';

const HEADERS = { authorization: basicAuth('key-web'), 'content-type': 'application/json' };

describe('arbitrary bodies against a listening collector', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector({ logLevel: 'silent' });
  });
  afterAll(async () => {
    await collector.close();
  });

  it('never answer 5xx, and every answer has a JSON body with an error or a count', async () => {
    const call = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('identify', 'track', 'page', 'screen', 'group', 'alias'),
          fc.anything(),
        ),
        userId: fc.anything(),
        anonymousId: fc.oneof(fc.string(), fc.integer()),
        event: fc.anything(),
        previousId: fc.string(),
        groupId: fc.anything(),
        traits: fc.anything(),
        properties: fc.anything(),
        context: fc.oneof(fc.anything(), fc.record({ traits: fc.anything(), externalIds: fc.anything() })),
        timestamp: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.anything(),
        ),
        sentAt: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.array(call, { maxLength: 5 }).map((batch) => JSON.stringify({ batch })),
      fc.string(),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('/v1/batch', '/v1/track', '/v1/identify', '/v1/events'),
        async (b, path) => {
          const res = await send(collector.url, 'POST', path, HEADERS, b);
          expect(res.status).toBeLessThan(500);
          const json = res.json as { error?: unknown; accepted?: unknown } | undefined;
          expect(
            json !== undefined && (typeof json.error === 'string' || typeof json.accepted === 'number'),
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('hand-off to the event log', () => {
  it('answers only once the log has confirmed the append', async () => {
    let release: (() => void) | undefined;
    const appended: EventLogRecord[] = [];
    const slowLog: EventLog = {
      append: (records) =>
        new Promise<readonly AppendedRecord[]>((resolve) => {
          release = () => {
            appended.push(...records);
            resolve(records.map((_, i) => ({ shardId: 's', sequenceNumber: String(i) })));
          };
        }),
    };
    const collector = await startCollector({ logLevel: 'silent' }, slowLog);
    try {
      let answered = false;
      const pending = send(
        collector.url,
        'POST',
        '/v1/track',
        HEADERS,
        JSON.stringify({ userId: 'u', event: 'e' }),
      ).then((res) => {
        answered = true;
        return res;
      });
      while (release === undefined) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 200));
      expect(answered).toBe(false);
      release();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(appended).toHaveLength(1);
    } finally {
      await collector.close();
    }
  });
});
