import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createDynamoDbIdentityStore } from '../../adapters/aws/dynamodb-identity-store';
import { createDynamoDbProfileStore } from '../../adapters/aws/dynamodb-profile-store';
import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import { createKinesisEventLog } from '../../adapters/aws/kinesis-event-log';
import { S3_PREFIXES } from '../../contracts/aws-resources';
import { createCollectorHandler } from '../../runtime/lambda/collector/collector-handler';
import { createLakeLoaderHandler } from '../../runtime/lambda/lake-loader/lake-loader-handler';
import { createProfileApiHandler } from '../../runtime/lambda/profile-api/profile-api-handler';
import { createObservability } from '../../runtime/lambda/shared/observability';
import { CASES, JSON_HEADERS } from '../../services/collector/test/bad-input-cases';
import { describeWithAws } from './harness/aws-test-environment';
import { testEvent, testProfile } from './harness/fixtures';
import { httpApiEvent, lambdaContext } from './lambda-support/api-gateway-event';
import { eventOf, readStream } from './lambda-support/read-stream';

const WRITE_KEYS = { 'key-web': 'web', 'key-ios': 'ios' };
const READ_KEY = 'rk-integration-0123456789';
const NOW = Date.parse('2026-12-04T20:00:00.000Z');

/** Runs `fn` with everything written to stdout and stderr captured (Powertools logs there). */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; out: string }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((s) => s.write.bind(s));
  for (const s of streams) {
    s.write = ((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }) as typeof s.write;
  }
  try {
    const result = await fn();
    return { result, out: chunks.join('') };
  } finally {
    streams.forEach((s, i) => {
      s.write = originals[i] as typeof s.write;
    });
  }
}

describeWithAws(
  'Lambda HTTP and S3 handlers against kinesis-local and moto',
  ['kinesis', 'dynamodb', 's3'],
  (env) => {
    afterAll(async () => {});

    function collector(streamName: string) {
      return createCollectorHandler(
        { writeKeys: WRITE_KEYS },
        {
          ...createObservability('collector', 'it'),
          eventLog: createKinesisEventLog(
            { streamName, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } },
            { kinesis: env().clients.kinesis },
          ),
          clock: () => NOW,
        },
      );
    }

    test('collector: an HTTP API v2 batch is answered 200 once every event is on Kinesis, keyed by person', async () => {
      // Prepare
      const { names } = await env().create({ streamShards: 2 });
      const handler = collector(names.stream);
      const body = JSON.stringify({
        batch: [
          { type: 'identify', messageId: 'm-1', userId: 'u-1', traits: { email: 'Ann@Example.com' } },
          {
            type: 'track',
            messageId: 'm-2',
            anonymousId: 'a-9',
            event: 'Product Viewed',
            properties: { sku: 'x' },
          },
          { type: 'page', messageId: 'm-3', userId: 'u-1', name: 'Home' },
        ],
      });

      // Act
      const res = await handler(
        httpApiEvent({ method: 'POST', path: '/v1/batch', headers: JSON_HEADERS, body }),
        lambdaContext('collector'),
      );

      // Assess
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body ?? '{}')).toMatchObject({ accepted: 3, rejected: [] });
      const records = await readStream(env().clients.kinesis, names.stream);
      const events = records.map(eventOf);
      expect(events.map((e) => e.eventId).sort()).toEqual(['m-1', 'm-2', 'm-3']);
      expect(new Set(events.map((e) => e.source))).toEqual(new Set(['web']));
      const byId = new Map(records.map((r) => [eventOf(r).eventId, r]));
      expect(byId.get('m-1')?.partitionKey).toBe('u-1');
      expect(byId.get('m-2')?.partitionKey).toBe('a-9');
      expect(byId.get('m-1')?.shardId).toBe(byId.get('m-3')?.shardId);
    });

    test('collector: every bad input of the server catalogue gets the same 4xx through API Gateway, none a 5xx', async () => {
      // Prepare
      const { names } = await env().create({ streamShards: 1 });
      const handler = collector(names.stream);

      // Act
      const answers = [];
      for (const c of CASES) {
        const res = await handler(
          httpApiEvent({
            method: c.method ?? 'POST',
            path: c.path ?? '/v1/batch',
            headers: c.headers ?? JSON_HEADERS,
            ...(c.body === undefined ? {} : { body: c.body }),
          }),
          lambdaContext('collector'),
        );
        answers.push({
          name: c.name,
          status: res.statusCode,
          error: (JSON.parse(res.body ?? '{}') as { error?: string }).error,
        });
      }

      // Assess
      expect(answers).toEqual(CASES.map((c) => ({ name: c.name, status: c.status, error: c.error })));
      expect(await readStream(env().clients.kinesis, names.stream)).toHaveLength(0);
    });

    test('collector: when Kinesis cannot take the events the answer is 503 with Retry-After, never 500', async () => {
      // Prepare: a stream that does not exist
      const handler = collector(env().uniqueNames().stream);

      // Act
      const res = await handler(
        httpApiEvent({
          method: 'POST',
          path: '/v1/track',
          headers: JSON_HEADERS,
          body: JSON.stringify({ userId: 'u-1', event: 'Signed Up' }),
        }),
        lambdaContext('collector'),
      );

      // Assess
      expect(res.statusCode).toBe(503);
      expect(res.headers?.['retry-after']).toBeDefined();
    });

    test('profile API: the local routes over the DynamoDB stores, behind the read key', async () => {
      // Prepare
      const { names } = await env().create({ tables: ['profiles', 'identities', 'segments'] });
      const dynamo = { dynamodb: env().clients.dynamodb };
      const profiles = createDynamoDbProfileStore(
        { tableName: names.tables.profiles, now: () => NOW },
        dynamo,
      );
      const identities = createDynamoDbIdentityStore(
        { identitiesTable: names.tables.identities, profilesTable: names.tables.profiles },
        dynamo,
      );
      const segments = createDynamoDbSegmentStore({ tableName: names.tables.segments }, dynamo);
      await profiles.write([
        { kind: 'put', document: testProfile('p-1', { totalEvents: 7 }), expectedVersion: null },
      ]);
      await identities.transact([
        {
          kind: 'put-mapping',
          identifier: { type: 'user_id', value: 'u-1' },
          profileId: 'p-1',
          expectedVersion: null,
          updatedAt: '2024-05-01T12:00:00.000Z',
        },
      ]);
      await segments.apply([
        {
          kind: 'add',
          membership: {
            segmentId: 'vip',
            profileId: 'p-1',
            source: 'sql',
            enteredAt: '2024-05-02T00:00:00.000Z',
          },
        },
      ]);
      const handler = createProfileApiHandler(
        { readKey: READ_KEY },
        { ...createObservability('profile-api', 'it'), profiles, identities, segments, clock: () => NOW },
      );
      const get = async (path: string, query?: Record<string, string>, key: string | null = READ_KEY) => {
        const res = await handler(
          httpApiEvent({
            method: 'GET',
            path,
            ...(query ? { query } : {}),
            headers: key === null ? {} : { authorization: `Bearer ${key}` },
          }),
          lambdaContext('profile-api'),
        );
        return { status: res.statusCode, body: JSON.parse(res.body ?? 'null') as Record<string, unknown> };
      };

      // Act
      const profile = await get('/v1/profiles/p-1');
      const lookup = await get('/v1/profiles/lookup', { type: 'user_id', value: 'u-1' });
      const members = await get('/v1/segments/vip/members');
      const unknown = await get('/v1/profiles/nobody');
      const noKey = await get('/v1/profiles/p-1', undefined, null);
      const badLimit = await get('/v1/profiles/p-1/events', { limit: '-3' });

      // Assess
      expect(profile.status).toBe(200);
      expect(profile.body.profile).toMatchObject({ profileId: 'p-1', totalEvents: 7 });
      expect(JSON.stringify(profile.body)).toContain('vip');
      expect(lookup.status).toBe(302);
      expect(lookup.body).toMatchObject({ profileId: 'p-1', location: '/v1/profiles/p-1' });
      expect(members.status).toBe(200);
      expect(JSON.stringify(members.body)).toContain('p-1');
      expect(unknown.status).toBe(404);
      expect(noKey.status).toBe(401);
      expect(badLimit.status).toBe(400);
      expect(JSON.stringify(badLimit.body)).toContain('limit');
    });

    test('lake loader: a staged import file lands on the stream; other keys are not read; no PII is logged', async () => {
      // Prepare
      const { names } = await env().create({ streamShards: 2, buckets: ['staging'] });
      const staging = names.buckets!.staging;
      const events = [1, 2, 3].map((n) =>
        testEvent(n, {
          type: 'identify',
          eventName: 'identify',
          source: 'crm',
          identity: { email: `c${n}@example.com` },
        }),
      );
      const key = `${S3_PREFIXES.crmStaged}batch=1/part 0000.json`;
      const text = `${events.map((e) => JSON.stringify(e)).join('\n')}\n{"eventId":"bad","email":"leak@example.com"}\n`;
      await env().clients.s3.send(new PutObjectCommand({ Bucket: staging, Key: key, Body: text }));
      const handler = createLakeLoaderHandler(
        { stagingBucket: staging },
        {
          ...createObservability('lake-loader', 'it'),
          s3: env().clients.s3,
          eventLog: createKinesisEventLog({ streamName: names.stream }, { kinesis: env().clients.kinesis }),
        },
      );
      const s3Event = (bucket: string, objectKey: string) =>
        ({
          Records: [
            {
              eventSource: 'aws:s3',
              eventName: 'ObjectCreated:Put',
              s3: {
                bucket: { name: bucket },
                object: { key: encodeURIComponent(objectKey).replace(/%20/g, '+') },
              },
            },
          ],
        }) as unknown as S3Event;

      // Act
      const { result, out } = await captureOutput(async () => ({
        loaded: await handler(s3Event(staging, key)),
        outside: await handler(s3Event(staging, `${S3_PREFIXES.crmRejects}x.json`)),
      }));

      // Assess
      expect(result.loaded).toEqual({ files: 1, skipped: 0, events: 3, invalidLines: 1 });
      expect(result.outside).toEqual({ files: 0, skipped: 1, events: 0, invalidLines: 0 });
      const onStream = (await readStream(env().clients.kinesis, names.stream)).map(eventOf);
      expect(onStream.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
      expect(out).toContain('"_aws"'); // EMF metrics
      expect(out).toContain('staged file has invalid lines');
      expect(out).not.toMatch(/leak@example\.com|c1@example\.com/);
    });
  },
);
