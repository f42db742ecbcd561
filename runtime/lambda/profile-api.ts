/**
 * Lambda entry of the Profile API (API Gateway HTTP API → DynamoDB). Reads env once, builds clients
 * once, loads the read key from Secrets Manager, wires `createProfileApiHandler` over the DynamoDB stores.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDynamoDbIdentityStore } from '../../adapters/aws/dynamodb-identity-store';
import { createDynamoDbProfileStore } from '../../adapters/aws/dynamodb-profile-store';
import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import { createProfileApiHandler } from './profile-api/profile-api-handler';
import { buildLambdaClients } from './shared/aws-clients';
import { readLambdaEnv } from './shared/lambda-env';
import { lazyHandler } from './shared/lazy-handler';
import { createObservability } from './shared/observability';
import { parseReadKeysSecret, readSecretText } from './shared/secret-keys';
import { unavailableResponse } from './shared/unavailable';

export const handler = lazyHandler<APIGatewayProxyEventV2, Context, APIGatewayProxyStructuredResultV2>(
  async () => {
    const env = readLambdaEnv(process.env, [
      'environment',
      'profilesTable',
      'identitiesTable',
      'segmentsTable',
      'readKeysSecret',
    ]);
    const clients = buildLambdaClients();
    const readKey = parseReadKeysSecret(
      await readSecretText(clients.secrets(), env.readKeysSecret),
      env.readKeysSecret,
    );
    const dynamo = { dynamodb: clients.dynamodb() };
    return createProfileApiHandler(
      { readKey },
      {
        ...createObservability('profile-api', env.environment),
        profiles: createDynamoDbProfileStore({ tableName: env.profilesTable }, dynamo),
        identities: createDynamoDbIdentityStore(
          { identitiesTable: env.identitiesTable, profilesTable: env.profilesTable },
          dynamo,
        ),
        segments: createDynamoDbSegmentStore({ tableName: env.segmentsTable }, dynamo),
      },
    );
  },
  (error) => unavailableResponse('profile-api', error),
);
