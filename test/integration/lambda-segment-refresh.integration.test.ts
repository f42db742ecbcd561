import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetPartitionsCommand } from '@aws-sdk/client-glue';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import { createGlueDtPartitions } from '../../adapters/aws/glue-partitions';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import { DT_PARTITIONED_LAKE_TABLES, GLUE_TABLES, S3_PREFIXES } from '../../contracts/aws-resources';
import type { Warehouse } from '../../contracts/ports/warehouse';
import {
  createSegmentRefreshHandler,
  SegmentModelsError,
} from '../../runtime/lambda/segment-refresh/segment-refresh-handler';
import { createObservability } from '../../runtime/lambda/shared/observability';
import { createS3SideOutputWriter } from '../../runtime/lambda/stream/s3-side-output-writer';
import { createLakeLoader } from '../../services/warehouse/lake-loader';
import { loadProject } from '../../services/warehouse/project';
import { writeEventsByDay } from '../support/lake-files';
import { JOURNEY_AS_OF, journeyEvents, profileIdOf } from '../support/warehouse-journey';
import { describeWithAws } from './harness/aws-test-environment';
import { createGlueCatalog } from './harness/glue-catalog';

jest.setTimeout(240_000);

const SQL_DIR = join(__dirname, '..', '..', 'sql');

describeWithAws(
  'Lambda segment refresh: SQL models → segment sync → DynamoDB (moto), changes to the S3 lake',
  ['dynamodb', 's3', 'glue'],
  (env) => {
    let warehouse: Warehouse;
    beforeAll(async () => {
      // The Data API cannot be emulated (moto's is a stub): the same Warehouse port on PGlite stands in.
      warehouse = await createPgliteWarehouse();
      const lakeDir = await mkdtemp(join(tmpdir(), 'tributary-lake-'));
      await writeEventsByDay(lakeDir, journeyEvents());
      await createLakeLoader({ lakeDir }, { warehouse }).load();
    });
    afterAll(async () => {
      await warehouse?.close();
    });

    test("the journey's SQL segments land in the segments table once; a second run changes nothing", async () => {
      // Prepare
      const { names } = await env().create({ tables: ['segments'], buckets: ['lake'] });
      const store = createDynamoDbSegmentStore(
        { tableName: names.tables.segments },
        { dynamodb: env().clients.dynamodb },
      );
      const lake = names.buckets!.lake;
      const { glue, s3 } = env().clients;
      const dayTables = GLUE_TABLES.filter((t) => DT_PARTITIONED_LAKE_TABLES.includes(t.name));
      await createGlueCatalog(glue, names.glueDatabase, dayTables, lake);
      await s3.send(
        new PutObjectCommand({
          Bucket: lake,
          Key: `${S3_PREFIXES.events}dt=2024-06-29/part-1.json.gz`,
          Body: '',
        }),
      );
      const refresh = createSegmentRefreshHandler(
        {
          run: { vars: { as_of: `'${JOURNEY_AS_OF}'` } },
          dtPartitions: { database: names.glueDatabase, tables: dayTables.map((t) => t.name) },
        },
        {
          ...createObservability('segment-refresh', 'it'),
          warehouse,
          project: () => loadProject(SQL_DIR),
          store,
          lakeWriter: createS3SideOutputWriter({ bucket: lake }, { s3 }),
          now: () => new Date('2024-06-30T00:00:00Z'),
          dtPartitions: createGlueDtPartitions({ glue, s3 }),
        },
      );
      const partitionDays = async (table: string) =>
        (
          (await glue.send(new GetPartitionsCommand({ DatabaseName: names.glueDatabase, TableName: table })))
            .Partitions ?? []
        )
          .map((p) => p.Values?.[0])
          .sort();

      // Act
      const first = await refresh();
      const changeDaysAfterFirst = await partitionDays('segment_changes');
      const second = await refresh();

      // Assess
      expect(first.entered).toBeGreaterThan(0);
      expect(first.exited).toBe(0);
      expect(second).toMatchObject({ entered: 0, exited: 0 });
      const members = await warehouse.query(
        'select segment_id, profile_id from analytics.segment_memberships',
      );
      const stored = new Set<string>();
      for (const s of await store.listSegments()) {
        for (const m of (await store.listMembers(s.segmentId, { limit: 10_000 })).items)
          stored.add(`${m.segmentId}|${m.profileId}`);
      }
      expect(stored).toEqual(new Set(members.rows.map((r) => `${r.segment_id}|${r.profile_id}`)));
      expect(stored.size).toBe(first.entered);
      expect([...stored]).toContain(`sql-high-value-customers|${profileIdOf('user_id:u1')}`);
      const objects = await env().clients.s3.send(
        new ListObjectsV2Command({ Bucket: lake, Prefix: S3_PREFIXES.segmentChanges }),
      );
      const rows: Record<string, unknown>[] = [];
      for (const o of objects.Contents ?? []) {
        const body = await env().clients.s3.send(new GetObjectCommand({ Bucket: lake, Key: o.Key }));
        const text = gunzipSync(await body.Body!.transformToByteArray()).toString('utf8');
        rows.push(
          ...text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
      }
      expect(rows).toHaveLength(first.entered);
      expect(rows.every((r) => r.origin === 'refresh' && r.change === 'enter')).toBe(true);
      // Partitions: the events day was registered before the models ran; the changes' days (written by
      // the first run) by the second.
      expect(await partitionDays('events')).toEqual(['2024-06-29']);
      expect(changeDaysAfterFirst).toEqual([]);
      const changeDays = [
        ...new Set((objects.Contents ?? []).map((o) => /dt=(\d{4}-\d{2}-\d{2})\//.exec(o.Key ?? '')?.[1])),
      ].sort();
      expect(changeDays.length).toBeGreaterThan(0);
      expect(await partitionDays('segment_changes')).toEqual(changeDays);
    });

    test('a model that fails stops the refresh before any sync, naming the model', async () => {
      // Prepare
      const { names } = await env().create({ tables: ['segments'], buckets: ['lake'] });
      const store = createDynamoDbSegmentStore(
        { tableName: names.tables.segments },
        { dynamodb: env().clients.dynamodb },
      );
      const project = await loadProject(SQL_DIR);
      const broken = {
        ...project,
        models: project.models.map((m) =>
          m.name === 'segment_memberships' ? { ...m, template: 'select no_such_column from nowhere' } : m,
        ),
      };
      const refresh = createSegmentRefreshHandler(
        { run: { schema: 'analytics_broken', vars: { as_of: `'${JOURNEY_AS_OF}'` } } },
        {
          ...createObservability('segment-refresh', 'it'),
          warehouse,
          project: async () => broken,
          store,
          lakeWriter: createS3SideOutputWriter({ bucket: names.buckets!.lake }, { s3: env().clients.s3 }),
          now: () => new Date('2024-06-30T00:00:00Z'),
        },
      );

      // Act
      const attempt = refresh();

      // Assess
      await expect(attempt).rejects.toThrow(SegmentModelsError);
      await expect(refresh()).rejects.toThrow(/segment_memberships/);
      expect(await store.listSegments()).toEqual([]);
    });
  },
);
