import { mkdtempSync, readFileSync } from 'node:fs';
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

  it.each([
    [['--no-progress'], /exactly one of --out/],
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
