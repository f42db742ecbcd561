import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { createMemoryEventLog, type MemoryEventLog } from '../../../adapters/local/memory-event-log';
import { CollectorConfig, collectorPlugin } from '../../collector';
import { parseProfileApiConfig } from '../profile-api-config';
import { type ProfileApiDeps, profileApiPlugin } from '../profile-api-plugin';

/** The read key and write key of `startApis`. */
export const TEST_READ_KEY = 'rk_test_0123456789abcdef';
export const TEST_WRITE_KEY = 'wk_web_0123456789';

/** The collector and the Profile API in one listening app (as `cdp dev` serves them). */
export interface RunningApis {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly log: MemoryEventLog;
  close(): Promise<void>;
}

/** Starts the collector (into a memory log) and the Profile API (over `deps`) on 127.0.0.1, port 0. */
export async function startApis(deps: ProfileApiDeps): Promise<RunningApis> {
  const log = createMemoryEventLog();
  const app = Fastify();
  await app.register(collectorPlugin, {
    config: CollectorConfig.parse({ writeKeys: { [TEST_WRITE_KEY]: 'web' } }),
    deps: { eventLog: log },
  });
  await app.register(profileApiPlugin, { config: parseProfileApiConfig({ readKey: TEST_READ_KEY }), deps });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, url, log, close: () => app.close() };
}
