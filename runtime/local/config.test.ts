import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRuntimeConfig, loadLocalRuntimeConfig, resolveRuntimeKeys } from './config';

describe('loadLocalRuntimeConfig', () => {
  test('log kinesis needs a stream and a lease table, each named with where to set it', () => {
    // Act
    const missing = loadLocalRuntimeConfig({ env: { CDP_LOG: 'kinesis' } });
    const badName = loadLocalRuntimeConfig({
      env: { CDP_LOG: 'kinesis', CDP_KINESIS_STREAM: 'no spaces', CDP_LEASE_TABLE: 'leases' },
    });
    const good = loadLocalRuntimeConfig({
      env: { CDP_KINESIS_STREAM: 'events' },
      flags: { log: 'kinesis', leaseTable: 'cdp-leases' },
    });
    const unknown = loadLocalRuntimeConfig({ env: { CDP_LOG: 'kafka' } });
    // Assess
    expect(missing).toEqual({
      ok: false,
      problems: [
        { setting: 'kinesisStream', message: expect.stringContaining('--stream or CDP_KINESIS_STREAM') },
        { setting: 'leaseTable', message: expect.stringContaining('--lease-table or CDP_LEASE_TABLE') },
      ],
    });
    expect(badName).toEqual({
      ok: false,
      problems: [{ setting: 'CDP_KINESIS_STREAM', message: expect.stringContaining('Kinesis stream name') }],
    });
    expect(good).toEqual({
      ok: true,
      config: expect.objectContaining({ log: 'kinesis', kinesisStream: 'events', leaseTable: 'cdp-leases' }),
    });
    expect(unknown).toEqual({ ok: false, problems: [{ setting: 'CDP_LOG', message: expect.any(String) }] });
  });

  test('defaults when nothing is set', () => {
    // Act
    const loaded = loadLocalRuntimeConfig({ env: {} });
    // Assess
    expect(loaded).toEqual({
      ok: true,
      config: expect.objectContaining({
        port: 8080,
        dataDir: './.tributary',
        shardCount: 4,
        checkpointIntervalMs: 5000,
        durability: 'fsync',
      }),
    });
  });

  test('the environment overrides the file, flags override the environment', () => {
    // Prepare
    const file = {
      path: 'tributary.config.json',
      text: JSON.stringify({
        port: 9000,
        shardCount: 2,
        readKey: 'file-read-key-0123456789',
        durability: 'none',
      }),
    };
    // Act
    const loaded = loadLocalRuntimeConfig({
      file,
      env: { PORT: '9100', CDP_WRITE_KEYS: 'k1:web, k2:ios', CDP_SHARDS: '8', CDP_DATA_DIR: '/tmp/x' },
      flags: { port: '9200' },
    });
    // Assess
    expect(loaded.ok && loaded.config).toEqual(
      LocalRuntimeConfig.parse({
        port: 9200,
        shardCount: 8,
        dataDir: '/tmp/x',
        readKey: 'file-read-key-0123456789',
        writeKeys: { k1: 'web', k2: 'ios' },
        durability: 'none',
      }),
    );
  });

  test.each([
    [{ env: { CDP_SHARDS: 'many' } }, 'CDP_SHARDS', /number/],
    [{ env: { CDP_SHARDS: '0' } }, 'CDP_SHARDS', />=1|at least|too small/i],
    [{ env: { PORT: '70000' } }, 'PORT', /65535|too big|less than/i],
    [{ env: { CDP_DURABILITY: 'sometimes' } }, 'CDP_DURABILITY', /fsync/],
    [{ env: { CDP_WRITE_KEYS: 'nocolon' } }, 'CDP_WRITE_KEYS', /key:source/],
    [{ env: { CDP_READ_KEY: 'short' } }, 'CDP_READ_KEY', /16 characters/],
    [
      { env: {}, file: { path: 'tributary.config.json', text: '{"shardz": 3}' } },
      'tributary.config.json',
      /shardz/,
    ],
    [
      { env: {}, file: { path: 'tributary.config.json', text: '{"port": "x"}' } },
      'tributary.config.json: port',
      /number/,
    ],
    [
      { env: {}, file: { path: 'tributary.config.json', text: '{port' } },
      'tributary.config.json',
      /not JSON/,
    ],
  ])('a bad setting is named: %j', (sources, setting, message) => {
    // Act
    const loaded = loadLocalRuntimeConfig(sources);
    // Assess
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems[0]!.setting).toBe(setting);
    expect(loaded.problems[0]!.message).toMatch(message);
  });
});

describe('resolveRuntimeKeys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('missing keys are generated once, kept owner-only, and reused on the next start', () => {
    // Prepare
    const config = LocalRuntimeConfig.parse({ dataDir: dir });
    // Act
    const first = resolveRuntimeKeys(config);
    const second = resolveRuntimeKeys(config);
    // Assess
    expect(first.generated).toEqual(['writeKeys', 'readKey']);
    expect(Object.values(first.writeKeys)).toEqual(['web']);
    expect(first.readKey.length).toBeGreaterThanOrEqual(16);
    expect(second).toEqual({ ...first, generated: [] });
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
  });

  test('configured keys win and are not written to the data folder', () => {
    // Prepare
    const config = LocalRuntimeConfig.parse({ dataDir: dir, writeKeys: { k: 'crm' } });
    // Act
    const keys = resolveRuntimeKeys(config);
    // Assess
    expect(keys.writeKeys).toEqual({ k: 'crm' });
    expect(keys.generated).toEqual(['readKey']);
    expect(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')).writeKeys).toBeUndefined();
  });
});
