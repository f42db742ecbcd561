import { createDynamoDbIdentityStore } from '../../adapters/aws/dynamodb-identity-store';
import { createDynamoDbProfileStore } from '../../adapters/aws/dynamodb-profile-store';
import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import { createKinesisEventLog } from '../../adapters/aws/kinesis-event-log';
import { createMemoryEventLog } from '../../adapters/local/memory-event-log';
import { createCollectorHandler } from '../../runtime/lambda/collector/collector-handler';
import { createProfileApiHandler } from '../../runtime/lambda/profile-api/profile-api-handler';
import { createObservability } from '../../runtime/lambda/shared/observability';
import {
  createResolverIdentityView,
  type MergeLog,
  recordMergeRows,
} from '../../runtime/local/resolver-identity-view';
import { createCollector } from '../../services/collector';
import { createSeedJourney } from '../fixtures/scenarios/seed-journey';
import { describeWithAws } from './harness/aws-test-environment';
import { httpApiEvent, lambdaContext } from './lambda-support/api-gateway-event';
import { createEsmDriver, readShards, type ShardRecord } from './lambda-support/kinesis-esm-driver';
import {
  comparable,
  runInProcess,
  storedActivityIds,
  storedProfiles,
  streamProcessorFor,
} from './lambda-support/stream-fixture';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const WRITE_KEYS = { 'key-web': 'web' };
const READ_KEY = 'rk-parity-0123456789abcdef';
const AUTH = {
  authorization: `Basic ${Buffer.from('key-web:').toString('base64')}`,
  'content-type': 'application/json',
};

/** A document without what differs by runtime: write time, store version, and the log's own positions. */
const portable = (doc: Parameters<typeof comparable>[0]) => {
  const { appliedSequences: _a, ...rest } = comparable(doc);
  return rest;
};

describeWithAws(
  'the seed journey: Lambda collector + stream processor on the emulators = the pipeline in process',
  ['kinesis', 'dynamodb', 's3', 'sqs'],
  (env) => {
    afterAll(async () => {});

    test("one profile, identical in both runtimes, with the journey's figures and segments", async () => {
      // Prepare
      const journey = createSeedJourney({ now: NOW });
      const { names, created } = await env().create({
        tables: ['profiles', 'identities', 'segments', 'state'],
        streamShards: 1,
        buckets: ['lake'],
        deadLetterQueue: true,
      });
      const streamArn = `arn:aws:kinesis:us-east-1:123456789012:stream/${names.stream}`;
      const lambdaCollector = createCollectorHandler(
        { writeKeys: WRITE_KEYS },
        {
          ...createObservability('collector', 'it'),
          eventLog: createKinesisEventLog({ streamName: names.stream }, { kinesis: env().clients.kinesis }),
          clock: () => NOW,
        },
      );
      const memoryLog = createMemoryEventLog({ shardCount: 1 });
      const serverCollector = createCollector(
        { writeKeys: WRITE_KEYS, logLevel: 'silent', docs: false },
        { eventLog: memoryLog, clock: () => NOW },
      );

      // Act: the same calls, one request each, through both collectors
      for (const call of journey.calls) {
        const body = JSON.stringify({ batch: [call] });
        const viaLambda = await lambdaCollector(
          httpApiEvent({ method: 'POST', path: '/v1/batch', headers: AUTH, body }),
          lambdaContext('collector'),
        );
        const viaServer = await serverCollector.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: AUTH,
          payload: body,
        });
        expect([viaLambda.statusCode, viaServer.statusCode]).toEqual([200, 200]);
      }
      const shards = await readShards(env().clients.kinesis, names.stream);
      const driver = createEsmDriver(
        { batchSize: 5, maximumRetryAttempts: 3, bisectBatchOnFunctionError: true },
        {
          handler: streamProcessorFor(env(), names, NOW),
          sqs: env().clients.sqs,
          queueUrl: created.queueUrl as string,
          streamArn,
        },
      );
      for (const records of shards.values()) await driver.drainShard(records);
      const local = new Map<string, ShardRecord[]>();
      for (const r of memoryLog.records()) {
        const list = local.get(r.shardId) ?? [];
        list.push({
          shardId: r.shardId,
          sequenceNumber: r.sequenceNumber,
          partitionKey: r.partitionKey,
          data: Buffer.from(JSON.stringify(r.event)),
          arrivedAt: new Date(NOW),
        });
        local.set(r.shardId, list);
      }
      const inProcess = await runInProcess(local, NOW);
      await serverCollector.close();

      // Assess
      const onAws = await storedProfiles(env(), names.tables.profiles);
      const embedded = inProcess.profiles.all();
      expect(onAws).toHaveLength(1);
      expect(embedded).toHaveLength(1);
      const [aws, mem] = [onAws[0]!, embedded[0]!];
      expect(portable(aws)).toEqual(portable(mem));
      expect(aws.profileId).toBe(inProcess.pipeline.identity.profileIdOf(journey.anchor));
      const { sessions: _s, daily: _d, ...figures } = journey.expected;
      expect(aws).toMatchObject(figures);
      expect(await storedActivityIds(env(), names.tables.profiles, aws.profileId, NOW)).toEqual(
        journey.events
          .slice(0, 12)
          .map((e) => e.eventId)
          .reverse(),
      );
      const dynamo = { dynamodb: env().clients.dynamodb };
      const segments = createDynamoDbSegmentStore({ tableName: names.tables.segments }, dynamo);
      const awsSegments = (await segments.getMemberships(aws.profileId)).map((m) => m.segmentId).sort();
      const memSegments = (await inProcess.segments.getMemberships(mem.profileId))
        .map((m) => m.segmentId)
        .sort();
      expect(awsSegments).toEqual(memSegments);
      expect(awsSegments).toEqual([...journey.expectedSegmentsAt(NOW)].sort());
      expect(driver.log.sentToDlq).toEqual([]);

      // The Lambda Profile API over the same tables finds the profile by any of its identifiers
      const mergeLog: MergeLog = new Map();
      recordMergeRows(inProcess.lake, mergeLog);
      const inProcessApi = createProfileApiHandler(
        { readKey: READ_KEY },
        {
          ...createObservability('profile-api', 'it'),
          profiles: inProcess.profiles,
          identities: createResolverIdentityView(() => inProcess.pipeline.identity, mergeLog),
          segments: inProcess.segments,
          clock: () => NOW,
        },
      );
      const api = createProfileApiHandler(
        { readKey: READ_KEY },
        {
          ...createObservability('profile-api', 'it'),
          profiles: createDynamoDbProfileStore({ tableName: names.tables.profiles, now: () => NOW }, dynamo),
          identities: createDynamoDbIdentityStore(
            { identitiesTable: names.tables.identities, profilesTable: names.tables.profiles },
            dynamo,
          ),
          segments,
          clock: () => NOW,
        },
      );
      const get = async (path: string, query?: Record<string, string>, handler = api) => {
        const res = await handler(
          httpApiEvent({
            method: 'GET',
            path,
            ...(query ? { query } : {}),
            headers: { authorization: `Bearer ${READ_KEY}` },
          }),
          lambdaContext('profile-api'),
        );
        return { status: res.statusCode, body: JSON.parse(res.body ?? 'null') as Record<string, unknown> };
      };
      for (const identifier of journey.identifiers) {
        const found = await get('/v1/profiles/lookup', { type: identifier.type, value: identifier.value });
        expect({ identifier, status: found.status, profileId: found.body.profileId }).toEqual({
          identifier,
          status: 302,
          profileId: aws.profileId,
        });
      }
      const profile = await get(`/v1/profiles/${aws.profileId}`);
      expect(profile.status).toBe(200);
      expect(profile.body.profile).toMatchObject({
        profileId: aws.profileId,
        totalEvents: figures.totalEvents,
      });
      const identities = await get(`/v1/profiles/${aws.profileId}/identities`);
      expect(identities.status).toBe(200);
      const listed = (identities.body.identities as { identifier: { type: string; value: string } }[]).map(
        (i) => `${i.identifier.type}:${i.identifier.value}`,
      );
      expect(listed.sort()).toEqual(journey.identifiers.map((i) => `${i.type}:${i.value}`).sort());
      // ... with the link and merge that brought each one in, as the in-process identity view answers
      const identitiesInProcess = await get(
        `/v1/profiles/${mem.profileId}/identities`,
        undefined,
        inProcessApi,
      );
      expect(identitiesInProcess.status).toBe(200);
      expect(identities.body).toEqual(identitiesInProcess.body);
      expect(identities.body.merges).not.toEqual([]);
      const provenance = identities.body.identities as {
        anchor: boolean;
        joinedBy?: unknown;
        merge?: unknown;
      }[];
      expect(provenance.filter((i) => !i.anchor).every((i) => i.joinedBy !== undefined)).toBe(true);
      expect(provenance.some((i) => i.merge !== undefined)).toBe(true);
    });
  },
);
