import { dirname } from 'node:path';
import { type ChildService, startChildService } from './child-service';
import { freePort } from './free-port';

/**
 * Starts kinesis-local (the kinesis-mock engine from npm) on free ports. Its working directory is its
 * package folder, where it reads `server.json` (the TLS certificate). Clients must use the plain-HTTP
 * endpoint with `NodeHttpHandler`.
 */
export async function startKinesisLocal(): Promise<ChildService> {
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${plainPort}`;
  return startChildService({
    name: 'kinesis-local',
    command: process.execPath,
    args: ['main.js'],
    cwd: packageDir,
    env: {
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      LOG_LEVEL: 'WARN',
      CREATE_STREAM_DURATION: '0ms',
      DELETE_STREAM_DURATION: '0ms',
      AWS_REGION: 'us-east-1',
    },
    endpoint,
    readyUrl: `${endpoint}/healthcheck`,
  });
}
