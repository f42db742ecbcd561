import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * SDK clients as the entry files build them, once per container. Endpoints and region come from the
 * SDK's own environment variables (`AWS_REGION`, `AWS_ENDPOINT_URL[_<SERVICE>]`), so the same bundle
 * runs against AWS or an emulator. HTTP/1.1 keep-alive handler everywhere (kinesis-local needs it, and
 * no function uses SubscribeToShard, the one HTTP/2 call).
 */
export function buildLambdaClients() {
  const common = {
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 20_000 }),
  };
  return {
    kinesis: () => new KinesisClient(common),
    dynamodb: () => new DynamoDBClient(common),
    s3: () =>
      new S3Client({
        ...common,
        forcePathStyle:
          process.env.AWS_ENDPOINT_URL_S3 !== undefined || process.env.AWS_ENDPOINT_URL !== undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    secrets: () => new SecretsManagerClient(common),
    glue: () => new GlueClient(common),
  };
}
