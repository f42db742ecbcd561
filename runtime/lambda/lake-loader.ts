/**
 * Lambda entry of the lake loader (S3 event on the staging bucket → Kinesis). Reads env once, builds
 * clients once, wires `createLakeLoaderHandler`.
 */
import type { S3Event } from 'aws-lambda';
import { createKinesisEventLog } from '../../adapters/aws/kinesis-event-log';
import { createLakeLoaderHandler, type LakeLoaderSummary } from './lake-loader/lake-loader-handler';
import { buildLambdaClients } from './shared/aws-clients';
import { readLambdaEnv } from './shared/lambda-env';
import { lazyHandler } from './shared/lazy-handler';
import { createObservability } from './shared/observability';

export const handler = lazyHandler<S3Event, unknown, LakeLoaderSummary>(async () => {
  const env = readLambdaEnv(process.env, ['environment', 'stream', 'stagingBucket']);
  const clients = buildLambdaClients();
  const run = createLakeLoaderHandler(
    { stagingBucket: env.stagingBucket },
    {
      ...createObservability('lake-loader', env.environment),
      s3: clients.s3(),
      eventLog: createKinesisEventLog({ streamName: env.stream }, { kinesis: clients.kinesis() }),
    },
  );
  return (event) => run(event);
});
