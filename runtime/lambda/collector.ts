/**
 * Lambda entry of the collector (API Gateway HTTP API → Kinesis). Reads env once, builds clients once,
 * loads the write keys from Secrets Manager, wires `createCollectorHandler`.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createKinesisEventLog } from '../../adapters/aws/kinesis-event-log';
import { createCollectorHandler } from './collector/collector-handler';
import { buildLambdaClients } from './shared/aws-clients';
import { readLambdaEnv } from './shared/lambda-env';
import { lazyHandler } from './shared/lazy-handler';
import { createObservability } from './shared/observability';
import { parseWriteKeysSecret, readSecretText } from './shared/secret-keys';
import { unavailableResponse } from './shared/unavailable';

export const handler = lazyHandler<APIGatewayProxyEventV2, Context, APIGatewayProxyStructuredResultV2>(
  async () => {
    const env = readLambdaEnv(process.env, ['environment', 'stream', 'writeKeysSecret']);
    const observability = createObservability('collector', env.environment);
    const clients = buildLambdaClients();
    const writeKeys = parseWriteKeysSecret(
      await readSecretText(clients.secrets(), env.writeKeysSecret),
      env.writeKeysSecret,
    );
    const eventLog = createKinesisEventLog({ streamName: env.stream }, { kinesis: clients.kinesis() });
    return createCollectorHandler({ writeKeys }, { ...observability, eventLog });
  },
  (error) => unavailableResponse('collector', error),
);
