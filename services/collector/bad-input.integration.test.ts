import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AppendedRecord, EventLog } from '../../contracts/ports/event-log';
import { batch, CASES, JSON_HEADERS, valid } from './test/bad-input-cases';
import { send } from './test/http-post';
import { basicAuth, type RunningCollector, startCollector } from './test/start-collector';

describe('bad-input catalogue against a listening collector', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await collector.close();
  });

  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = collector.log.appendedCount();
    const res = await send(
      collector.url,
      c.method ?? 'POST',
      c.path ?? '/v1/batch',
      c.headers ?? JSON_HEADERS,
      c.body,
    );
    expect({ status: res.status, error: (res.json as { error?: string } | undefined)?.error }).toEqual({
      status: c.status,
      error: c.error,
    });
    const body = res.json as {
      message?: string;
      rejected?: { index: number; errors: { path: string; message: string }[] }[];
    };
    expect(typeof body.message).toBe('string');
    if (c.rejected) {
      const entry = body.rejected?.find((r) => r.index === c.rejected!.index);
      expect(entry?.errors).toEqual(
        expect.arrayContaining([
          { path: c.rejected.path, message: expect.stringContaining(c.rejected.message) },
        ]),
      );
    }
    expect(collector.log.appendedCount()).toBe(before);
  });

  it('accepts the valid events of a mixed batch and lists the others', async () => {
    const res = await send(
      collector.url,
      'POST',
      '/v1/batch',
      JSON_HEADERS,
      batch(
        { ...valid, messageId: 'ok-1' },
        { type: 'track', messageId: 'bad-1', event: 'no id' },
        { type: 'identify', userId: 'u-2', messageId: 'ok-2', traits: { email: 'broken@' } },
        { type: 'wat', messageId: 'bad-2', userId: 'u' },
        { type: 'page', anonymousId: 'a-3', messageId: 'ok-3', properties: { blob: 'x'.repeat(40_000) } },
        { type: 'page', anonymousId: 'a-3', messageId: 'ok-4', name: 'Home' },
      ),
    );
    expect(res.status).toBe(200);
    const body = res.json as {
      accepted: number;
      rejected: { index: number; messageId: string | null }[];
      warnings?: { index: number; path: string }[];
    };
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((r) => [r.index, r.messageId])).toEqual([
      [1, 'bad-1'],
      [3, 'bad-2'],
      [4, 'ok-3'],
    ]);
    expect(body.warnings).toEqual([expect.objectContaining({ index: 2, path: 'traits.email' })]);
    const kept = collector.log.records().map((r) => r.event.eventId);
    expect(kept).toEqual(expect.arrayContaining(['ok-1', 'ok-2', 'ok-4']));
    expect(kept).not.toContain('bad-1');
    expect(kept).not.toContain('ok-3');
  });

  it('takes the write key from X-Write-Key, text/plain and gzip bodies', async () => {
    const res = await send(
      collector.url,
      'POST',
      '/v1/track',
      { 'x-write-key': 'key-ios', 'content-type': 'text/plain;charset=UTF-8', 'content-encoding': 'gzip' },
      gzipSync(JSON.stringify({ ...valid, messageId: 'via-header' })),
    );
    expect(res.status).toBe(200);
    expect(collector.log.records().find((r) => r.event.eventId === 'via-header')?.event.source).toBe('ios');
  });

  it('answers CORS preflights and marks responses for browsers', async () => {
    const preflight = await send(collector.url, 'OPTIONS', '/v1/batch', {
      origin: 'https://shop.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
    const post = await send(
      collector.url,
      'POST',
      '/v1/batch',
      { ...JSON_HEADERS, origin: 'https://shop.example' },
      batch(valid),
    );
    expect(post.headers['access-control-allow-origin']).toBe('*');
  });

  it('serves /healthz, /openapi.json generated from the contracts, and Swagger UI', async () => {
    expect((await send(collector.url, 'GET', '/healthz', {})).json).toEqual({ status: 'ok' });
    const doc = (await send(collector.url, 'GET', '/openapi.json', {})).json as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { oneOf?: unknown[] }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/batch', '/v1/track', '/v1/events']));
    expect(doc.components.schemas.SegmentEvent?.oneOf).toHaveLength(6);
    const ui = await send(collector.url, 'GET', '/docs', {});
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('never writes emails, phones or write keys to its logs', async () => {
    await send(
      collector.url,
      'POST',
      '/v1/batch',
      JSON_HEADERS,
      batch(
        {
          type: 'identify',
          userId: 'u-log',
          traits: { email: 'secret.person@example.com', phone: '+14155552671' },
        },
        { type: 'identify', traits: { email: 'other.secret@example.com' }, bogus: 1, userId: {} },
      ),
    );
    const all = collector.logLines.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain('secret.person@example.com');
    expect(all).not.toContain('other.secret');
    expect(all).not.toContain('4155552671');
    expect(all).not.toContain('key-web');
    expect(all).not.toContain(basicAuth('key-web').slice(6));
  });
});

describe('when the event log cannot append', () => {
  it('answers 503 with a retry hint and acknowledges nothing', async () => {
    const failing: EventLog = {
      append: async (): Promise<readonly AppendedRecord[]> => {
        throw new Error('disk full');
      },
    };
    const collector = await startCollector({}, failing);
    try {
      const res = await send(collector.url, 'POST', '/v1/batch', JSON_HEADERS, batch(valid));
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json).toMatchObject({ error: 'log_unavailable', retryAfterSeconds: 5 });
    } finally {
      await collector.close();
    }
  });
});

describe('the README', () => {
  it('documents every case of the catalogue with its status and error', () => {
    // table cells may be padded by the formatter
    const readme = readFileSync(join(__dirname, 'README.md'), 'utf8').replace(/ {2,}/g, ' ');
    for (const c of CASES) {
      expect(readme).toContain(
        `| ${c.name} | ${c.method ?? 'POST'} \`${c.path ?? '/v1/batch'}\` | ${c.status} | \`${c.error}\` |`,
      );
    }
  });
});
