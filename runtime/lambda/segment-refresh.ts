/**
 * Lambda entry of the segment refresh (EventBridge Scheduler → SQL models on Redshift Serverless via
 * the Data API, reading the lake through the Spectrum schema the run maps with the warehouse role →
 * segment sync into DynamoDB, changes to the lake). Reads env once, builds clients once, loads the SQL
 * project shipped beside the bundle (`sql/`, copied by `stacks/lambda-bundles.ts`).
 */
import { join } from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import { createGlueDtPartitions } from '../../adapters/aws/glue-partitions';
import { createRedshiftDataWarehouse } from '../../adapters/aws/redshift-data-warehouse';
import { DT_PARTITIONED_LAKE_TABLES } from '../../contracts/aws-resources';
import { loadProject, type Project } from '../../services/warehouse/project';
import { createSegmentRefreshHandler } from './segment-refresh/segment-refresh-handler';
import { buildLambdaClients } from './shared/aws-clients';
import { readLambdaEnv } from './shared/lambda-env';
import { lazyHandler } from './shared/lazy-handler';
import { createObservability } from './shared/observability';
import { createS3SideOutputWriter } from './stream/s3-side-output-writer';

export const handler = lazyHandler<
  unknown,
  unknown,
  { entered: number; exited: number; modelsBuilt: number }
>(async () => {
  const env = readLambdaEnv(process.env, [
    'environment',
    'segmentsTable',
    'lakeBucket',
    'workgroup',
    'database',
    'glueDatabase',
    'redshiftRole',
  ]);
  const clients = buildLambdaClients();
  const s3 = clients.s3();
  let project: Promise<Project> | undefined;
  const run = createSegmentRefreshHandler(
    // The models read the lake through Spectrum: the run maps the Glue database first, and the lake's
    // new dt folders become catalog partitions (Spectrum does not read partition projection).
    {
      run: { spectrum: { glueDatabase: env.glueDatabase, iamRoleArn: env.redshiftRole } },
      dtPartitions: {
        database: env.glueDatabase,
        tables: DT_PARTITIONED_LAKE_TABLES,
      },
    },
    {
      ...createObservability('segment-refresh', env.environment),
      warehouse: createRedshiftDataWarehouse(
        { database: env.database, workgroupName: env.workgroup },
        { client: new RedshiftDataClient({ requestHandler: new NodeHttpHandler() }) },
      ),
      project: () => {
        project ??= loadProject(join(__dirname, 'sql'));
        return project;
      },
      store: createDynamoDbSegmentStore({ tableName: env.segmentsTable }, { dynamodb: clients.dynamodb() }),
      lakeWriter: createS3SideOutputWriter({ bucket: env.lakeBucket }, { s3 }),
      now: () => new Date(),
      dtPartitions: createGlueDtPartitions({ glue: clients.glue(), s3 }),
    },
  );
  return () => run();
});
