import { rmSync } from 'node:fs';
import { createDynamoDbLeaseTable, TRIM_HORIZON } from '../../adapters/aws/dynamodb-lease-table';
import { parsePrometheus } from '../../runtime/local/metrics';
import { type CdpDevProcess, spawnCdp, startCdpDev, tempDataDir } from '../e2e/support/cdp-dev-process';
import { profileApiReader } from '../e2e/support/profile-api-reader';
import { describeWithAws } from './harness/aws-test-environment';

jest.setTimeout(240_000);

const SERVICES = ['kinesis', 'dynamodb'] as const;

/** The URL a harness client sends to (the emulator's, or the external endpoint's). */
async function endpointOf(client: { config: { endpoint?: () => Promise<unknown> } }): Promise<string> {
  const e = (await client.config.endpoint?.()) as
    | { protocol: string; hostname: string; port?: number; path?: string }
    | undefined;
  if (e === undefined) throw new Error('the harness client has no endpoint (a real account?)');
  return `${e.protocol}//${e.hostname}${e.port === undefined ? '' : `:${e.port}`}`;
}

describeWithAws('cdp dev --log kinesis (kinesis-local + DynamoDB lease table)', SERVICES, (env) => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function send(dev: CdpDevProcess, userId: string, n: number): Promise<void> {
    const batch = Array.from({ length: n }, (_, i) => ({
      type: 'track',
      userId,
      event: 'Viewed Item',
      messageId: `${userId}-${Date.now()}-${i}`,
      properties: { i },
    }));
    const res = await fetch(`${dev.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-write-key': dev.writeKey },
      body: JSON.stringify({ batch }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: n, rejected: [] });
  }

  test('events go through the stream to the Profile API; a restart resumes from the checkpoint (no double count)', async () => {
    // Prepare
    const { names } = await env().create({ streamShards: 2, tables: ['checkpoints'] });
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const devEnv = {
      CDP_LOG: 'kinesis',
      CDP_KINESIS_STREAM: names.stream,
      CDP_LEASE_TABLE: names.tables.checkpoints,
      CDP_CHECKPOINT_INTERVAL_MS: '200',
      CDP_SEGMENT_REFRESH_MINUTES: '0',
      AWS_ENDPOINT_URL_KINESIS: await endpointOf(env().clients.kinesis),
      AWS_ENDPOINT_URL_DYNAMODB: await endpointOf(env().clients.dynamodb),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };
    const leases = createDynamoDbLeaseTable(
      { tableName: names.tables.checkpoints, owner: 'test-reader' },
      { dynamodb: env().clients.dynamodb },
    );

    // Act: 5 events, stop cleanly (last checkpoint), restart, 3 more events
    const first = await startCdpDev({ dataDir, env: devEnv });
    let afterFirst: number;
    let leasesAfterFirst: Awaited<ReturnType<typeof leases.list>>;
    try {
      await send(first, 'kin-ann', 5);
      const api = profileApiReader(first.url, first.readKey);
      afterFirst = (await api.waitForProfile('user_id', 'kin-ann', (v) => v.profile.totalEvents >= 5)).profile
        .totalEvents;
      expect(await first.stop('SIGTERM')).toBe(0);
      leasesAfterFirst = await leases.list();
    } finally {
      await first.kill9();
    }
    const second = await startCdpDev({ dataDir, env: devEnv });
    let afterSecond: number;
    let processedBySecond: number;
    try {
      await send(second, 'kin-ann', 3);
      const api = profileApiReader(second.url, second.readKey);
      afterSecond = (await api.waitForProfile('user_id', 'kin-ann', (v) => v.profile.totalEvents >= 8))
        .profile.totalEvents;
      // a moment more: a replay of the first run's records would push the count past 8
      await new Promise((r) => setTimeout(r, 1_000));
      afterSecond = (await api.waitForProfile('user_id', 'kin-ann', () => true)).profile.totalEvents;
      processedBySecond = parsePrometheus(await (await fetch(`${second.url}/metrics`)).text())
        .filter((m) => m.name === 'tributary_events_processed_total')
        .reduce((n, m) => n + m.value, 0);
    } finally {
      await second.kill9();
    }

    // Assess
    expect(first.output()).toContain(`event log: Kinesis stream ${names.stream}`);
    expect(afterFirst).toBe(5);
    expect(second.output()).toMatch(/Restored checkpoint \d+/);
    expect(afterSecond).toBe(8);
    // the restart read only the new records: it resumed after the checkpointed sequence numbers
    expect(processedBySecond).toBe(3);
    expect(leasesAfterFirst.map((l) => l.leaseKey).sort()).toHaveLength(2);
    // all 5 events have one key, so one shard: its checkpoint is a sequence number, the other's untouched
    const checkpoints = leasesAfterFirst.map((l) => l.checkpoint);
    expect(checkpoints.filter((c) => c !== TRIM_HORIZON)).toHaveLength(1);
    expect(checkpoints.find((c) => c !== TRIM_HORIZON)).toMatch(/^\d+$/);
    expect(leasesAfterFirst.every((l) => l.leaseOwner?.endsWith(`:${dataDir}`))).toBe(true);
  });

  test('refuses to start without a stream name: exit 2 naming the setting', async () => {
    // Prepare
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    // Act
    const run = spawnCdp(['dev', '--log', 'kinesis', '--lease-table', 'leases'], {
      PORT: '0',
      CDP_DATA_DIR: dataDir,
    });
    const code = await run.exited;
    // Assess
    expect(code).toBe(2);
    expect(run.output()).toMatch(
      /kinesisStream: is required with log "kinesis" \(--log\); set --stream or CDP_KINESIS_STREAM/,
    );
  });

  test('cdp replay refuses a kinesis configuration (it replays the embedded file log)', async () => {
    // Prepare
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    // Act
    const run = spawnCdp(['replay'], {
      CDP_DATA_DIR: dataDir,
      CDP_LOG: 'kinesis',
      CDP_KINESIS_STREAM: 'events',
      CDP_LEASE_TABLE: 'leases',
    });
    const code = await run.exited;
    // Assess
    expect(code).toBe(4);
    expect(run.output()).toMatch(/Replay refused: cdp replay reads the embedded file log/);
  });
});
