import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { FUNCTION_ENV, type ResourceNames } from '../../contracts/aws-resources';
// Imported before the environment is set: entries read it on their first invocation, not at import.
import { handler as collectorHandler } from '../../runtime/lambda/collector';
import { handler as profileApiHandler } from '../../runtime/lambda/profile-api';
import { describeWithAws } from './harness/aws-test-environment';
import { httpApiEvent, lambdaContext } from './lambda-support/api-gateway-event';
import { eventOf, readStream } from './lambda-support/read-stream';

/** The endpoint URL a harness client talks to (undefined for a real account). */
async function endpointOf(client: {
  config: { endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }> };
}) {
  const e = await client.config.endpoint?.();
  return e === undefined
    ? undefined
    : `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path === '/' ? '' : e.path}`;
}

describeWithAws(
  'Lambda entry files: env read once, secrets from Secrets Manager, clients from the SDK environment',
  ['kinesis', 'dynamodb'],
  (env) => {
    let names: ResourceNames;
    const saved = { ...process.env };
    beforeAll(async () => {
      names = (await env().create({ streamShards: 1, tables: ['profiles', 'identities', 'segments'] })).names;
      const kinesisUrl = await endpointOf(env().clients.kinesis as never);
      const motoUrl = await endpointOf(env().clients.dynamodb as never);
      const secrets = new SecretsManagerClient({
        region: 'us-east-1',
        ...(motoUrl
          ? { endpoint: motoUrl, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }
          : {}),
        requestHandler: new NodeHttpHandler(),
      });
      await secrets.send(
        new CreateSecretCommand({
          Name: names.writeKeysSecret,
          SecretString: JSON.stringify({ 'wk-entry': { source: 'web' } }),
        }),
      );
      await secrets.send(
        new CreateSecretCommand({
          Name: names.readKeysSecret,
          SecretString: JSON.stringify({ 'rk-entry-0123456789': { name: 'crm' } }),
        }),
      );
      Object.assign(process.env, {
        ...(motoUrl
          ? {
              AWS_ENDPOINT_URL_SECRETS_MANAGER: motoUrl,
              AWS_ENDPOINT_URL_DYNAMODB: motoUrl,
              AWS_ACCESS_KEY_ID: 'test',
              AWS_SECRET_ACCESS_KEY: 'test',
              AWS_REGION: 'us-east-1',
            }
          : {}),
        ...(kinesisUrl ? { AWS_ENDPOINT_URL_KINESIS: kinesisUrl } : {}),
        [FUNCTION_ENV.environment]: 'it',
        [FUNCTION_ENV.stream]: names.stream,
        [FUNCTION_ENV.writeKeysSecret]: names.writeKeysSecret,
        [FUNCTION_ENV.readKeysSecret]: names.readKeysSecret,
        [FUNCTION_ENV.profilesTable]: names.tables.profiles,
        [FUNCTION_ENV.identitiesTable]: names.tables.identities,
        [FUNCTION_ENV.segmentsTable]: names.tables.segments,
      });
    });
    afterAll(async () => {
      process.env = saved;
    });

    test('runtime/lambda/collector.ts: a track call with the secret write key lands on the stream', async () => {
      // Prepare
      const handler = collectorHandler;
      const auth = `Basic ${Buffer.from('wk-entry:').toString('base64')}`;

      // Act
      const ok = await handler(
        httpApiEvent({
          method: 'POST',
          path: '/v1/track',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ userId: 'u-entry', event: 'Signed Up', messageId: 'entry-1' }),
        }),
        lambdaContext('collector'),
      );
      const unknownKey = await handler(
        httpApiEvent({
          method: 'POST',
          path: '/v1/track',
          headers: {
            authorization: `Basic ${Buffer.from('nope:').toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ userId: 'u-entry', event: 'Signed Up' }),
        }),
        lambdaContext('collector'),
      );

      // Assess
      expect(ok.statusCode).toBe(200);
      expect(unknownKey.statusCode).toBe(401);
      const events = (await readStream(env().clients.kinesis, names.stream)).map(eventOf);
      expect(events.map((e) => [e.eventId, e.source])).toEqual([['entry-1', 'web']]);
    });

    test('runtime/lambda/profile-api.ts: the read key from the secret guards the DynamoDB-backed routes', async () => {
      // Prepare
      const handler = profileApiHandler;
      const get = (authorization?: string) =>
        handler(
          httpApiEvent({
            method: 'GET',
            path: '/v1/profiles/nobody',
            headers: authorization ? { authorization } : {},
          }),
          lambdaContext('profile-api'),
        );

      // Act
      const withKey = await get('Bearer rk-entry-0123456789');
      const without = await get();

      // Assess
      expect(withKey.statusCode).toBe(404);
      expect(without.statusCode).toBe(401);
    });
  },
);
