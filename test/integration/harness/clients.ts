import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { GlueClient } from '@aws-sdk/client-glue';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsTestService } from './targets';

/** The SDK clients a suite gets (one per service it asked for). */
export interface AwsClients {
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly firehose: FirehoseClient;
  readonly glue: GlueClient;
  readonly scheduler: SchedulerClient;
  readonly sqs: SQSClient;
}

/** Where a client connects: an endpoint (emulator or LocalStack) or the real service. */
export interface ClientTarget {
  readonly endpoint?: string;
  /** Emulators take any static credentials; real targets use the default credential chain. */
  readonly emulated: boolean;
  readonly region: string;
}

/** Builds one service's client the way the tests need it (plain HTTP handler, S3 path style, ...). */
export function buildClient<S extends AwsTestService>(service: S, target: ClientTarget): AwsClients[S] {
  const base = {
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(target.emulated ? { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } : {}),
    // kinesis-local speaks plain HTTP/1.1 only; the same handler everywhere keeps clients alike.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
  };
  const build: { [K in AwsTestService]: () => AwsClients[K] } = {
    kinesis: () => new KinesisClient(base),
    dynamodb: () => new DynamoDBClient(base),
    s3: () =>
      new S3Client({
        ...base,
        forcePathStyle: target.endpoint !== undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    firehose: () => new FirehoseClient(base),
    glue: () => new GlueClient(base),
    scheduler: () => new SchedulerClient(base),
    sqs: () => new SQSClient(base),
  };
  return build[service]() as AwsClients[S];
}
