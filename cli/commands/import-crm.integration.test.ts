import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaptureServer } from '../../test/support/capture-server';
import { buildCli } from '../main';

const FIXTURES = join(__dirname, '../../test/fixtures/crm-import');

async function cdp(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err.push(a.join(' '));
  });
  process.exitCode = 0;
  try {
    await buildCli().parseAsync(['node', 'cdp', ...args]);
    return { code: Number(process.exitCode ?? 0), out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = 0;
    log.mockRestore();
    error.mockRestore();
  }
}

/** Runs `fn` with only these CDP_* variables set (the rest of the environment untouched). */
async function withCdpEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const names = ['CDP_URL', 'CDP_WRITE_KEY', 'CDP_WRITE_KEYS', 'CDP_DATA_DIR'];
  const saved = names.map((n) => [n, process.env[n]] as const);
  for (const n of names) delete process.env[n];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [n, v] of saved) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  }
}

describe('cdp import crm', () => {
  it('--out/--errors write the staged JSON lines and print the summary with reasons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-import-'));
    const res = await cdp(
      'import',
      'crm',
      join(FIXTURES, 'basic.csv'),
      '--out',
      join(dir, 'staged.jsonl'),
      '--errors',
      join(dir, 'rejects.jsonl'),
      '--imported-at',
      '2024-05-01T12:00:00Z',
      '--no-progress',
    );
    expect(res).toMatchObject({ code: 0, err: '' });
    expect(res.out).toContain('19 rows: 10 accepted, 9 rejected');
    expect(res.out).toMatch(/2 {2}LastContactDate: not a calendar date/);
    expect(res.out).not.toContain('bad-email@');
    expect(readFileSync(join(dir, 'staged.jsonl'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'basic.events.jsonl'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'rejects.jsonl'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'basic.rejects.jsonl'), 'utf8'),
    );
  });

  it('--mapping reads another mapping file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-import-'));
    const res = await cdp(
      'import',
      'crm',
      join(FIXTURES, 'types.csv'),
      '--mapping',
      join(FIXTURES, 'mapping-types.json'),
      '--out',
      join(dir, 'staged.jsonl'),
      '--imported-at',
      '2024-05-01T12:00:00.000Z',
      '--no-progress',
    );
    expect(res.code).toBe(0);
    expect(readFileSync(join(dir, 'staged.jsonl'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'types.events.jsonl'), 'utf8'),
    );
  });

  it('--to sends identify batches to a collector', async () => {
    const server = await startCaptureServer();
    try {
      const res = await cdp(
        'import',
        'crm',
        join(FIXTURES, 'basic.csv'),
        '--to',
        server.url,
        '--write-key',
        'wk',
        '--no-progress',
      );
      expect(res.code).toBe(0);
      expect(res.out).toContain(`sent 10 identify calls to ${server.url}`);
      expect(server.requests.flatMap((r) => JSON.parse(r.body).batch)).toHaveLength(10);
    } finally {
      await server.close();
    }
  });

  it('without --out or --to sends to the running cdp dev found in its data folder, with its write key', async () => {
    // Prepare: the files a running `cdp dev` keeps in its data folder
    const server = await startCaptureServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'cdp-import-dev-'));
    writeFileSync(join(dataDir, 'runtime.json'), JSON.stringify({ url: server.url, pid: process.pid }));
    writeFileSync(
      join(dataDir, 'keys.json'),
      JSON.stringify({ readKey: 'rk-local', writeKeys: { 'wk-local-dev': 'local' } }),
    );
    try {
      // Act
      const res = await withCdpEnv({ CDP_DATA_DIR: dataDir }, () =>
        cdp('import', 'crm', join(FIXTURES, 'basic.csv'), '--no-progress'),
      );
      // Assess
      expect(res.code).toBe(0);
      expect(res.out).toContain(`sent 10 identify calls to ${server.url}`);
      expect(server.requests.map((r) => r.url)).toEqual(server.requests.map(() => '/v1/batch'));
      expect(server.requests.flatMap((r) => JSON.parse(r.body).batch)).toHaveLength(10);
      const auth = `Basic ${Buffer.from('wk-local-dev:').toString('base64')}`;
      expect(new Set(server.requests.map((r) => r.headers.authorization))).toEqual(new Set([auth]));
    } finally {
      await server.close();
    }
  });

  it('without --out or --to and no cdp dev to find, says how to give a target', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cdp-import-none-'));
    const res = await withCdpEnv({ CDP_DATA_DIR: dataDir }, () =>
      cdp('import', 'crm', join(FIXTURES, 'basic.csv'), '--no-progress'),
    );
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/no write key: .*or give --out <file>, or --to <url> --write-key <key>/);
  });

  it.each([
    [['--out', '/tmp/x.jsonl', '--to', 'http://127.0.0.1:9'], /only one of --out/],
    [['--to', 'http://127.0.0.1:9'], /--to needs --write-key/],
    [['--out', '/tmp/x.jsonl', '--imported-at', 'yesterday'], /--imported-at must be UTC/],
    [
      ['--out', '/tmp/x.jsonl', '--mapping', join(FIXTURES, 'cases.json')],
      /invalid import mapping: .*version/,
    ],
  ])('refuses bad usage %j with a clear message', async (extra, message) => {
    const res = await cdp('import', 'crm', join(FIXTURES, 'basic.csv'), ...extra);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(message);
  });

  it('fails with exit code 1 when the header lacks mapped columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-import-'));
    const res = await cdp(
      'import',
      'crm',
      join(FIXTURES, 'types.csv'),
      '--out',
      join(dir, 's.jsonl'),
      '--no-progress',
    );
    expect(res.code).toBe(1);
    expect(res.err).toContain(
      'the CSV header lacks the mapped column(s): Company, LifetimeValue, LastContactDate',
    );
  });
});
