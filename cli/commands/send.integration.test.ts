import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryProfileStore } from '../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import { createMemoryIdentityStore } from '../../processors/identity';
import { type RunningApis, startApis, TEST_WRITE_KEY } from '../../services/profile-api/test/start-apis';
import { runCli } from '../test/run-cli';

describe('cdp send <file.jsonl> against a listening collector', () => {
  let apis: RunningApis;
  let dir: string;

  beforeAll(async () => {
    apis = await startApis({
      profiles: createMemoryProfileStore(),
      segments: createMemorySegmentStore(),
      identities: createMemoryIdentityStore(),
    });
    dir = await mkdtemp(join(tmpdir(), 'cdp-send-'));
  });
  afterAll(async () => {
    await apis.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends every call in batches and exits 0 when all were accepted', async () => {
    // Prepare: 250 calls, more than two batches of 100
    const file = join(dir, 'ok.jsonl');
    const lines = Array.from({ length: 250 }, (_, i) =>
      JSON.stringify({ type: 'track', userId: `u-${i % 7}`, event: 'Product Viewed', messageId: `ok-${i}` }),
    );
    await writeFile(file, `${lines.join('\n')}\n\n`);
    const before = apis.log.appendedCount();
    // Act
    const run = await runCli(['send', file, '--url', apis.url, '--key', TEST_WRITE_KEY, '--no-progress']);
    // Assess
    expect(run.stdout).toContain('sent 250 calls: 250 accepted, 0 rejected');
    expect(run.code).toBe(0);
    expect(apis.log.appendedCount() - before).toBe(250);
  });

  it('reports refused calls by line and skips unreadable lines, exiting 1', async () => {
    const file = join(dir, 'mixed.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ type: 'identify', userId: 'u-1', traits: { email: 'ann@x.io' } }),
        '{"type": "track", "userId": "u-1", "event": ',
        JSON.stringify({ type: 'track', event: 'No identifier' }),
        '[1, 2]',
        JSON.stringify({ type: 'page', anonymousId: 'a-1', name: 'Home' }),
      ].join('\n'),
    );
    const before = apis.log.appendedCount();
    const run = await runCli(['send', file, '--url', apis.url, '--key', TEST_WRITE_KEY, '--no-progress']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('sent 3 calls: 2 accepted, 1 rejected, 2 unreadable lines skipped');
    expect(run.stderr).toContain('line 2: not JSON');
    expect(run.stderr).toContain('line 4: not a JSON object');
    expect(run.stderr).toMatch(/line 3: .*identifier/);
    expect(apis.log.appendedCount() - before).toBe(2);
  });

  it('sends --count N generated journeys, every call accepted', async () => {
    // Prepare
    const before = apis.log.appendedCount();
    // Act
    const run = await runCli([
      'send',
      '--count',
      '300',
      '--seed',
      '3',
      '--url',
      apis.url,
      '--key',
      TEST_WRITE_KEY,
    ]);
    // Assess
    expect(run.code).toBe(0);
    const sent = Number(/sent (\d+) calls: (\d+) accepted, 0 rejected/.exec(run.stdout)?.[1]);
    expect(sent).toBeGreaterThanOrEqual(250);
    expect(sent).toBeLessThanOrEqual(300);
    expect(apis.log.appendedCount() - before).toBe(sent);
    const both = await runCli(['send', 'file.jsonl', '--count', '5', '--url', apis.url, '--key', 'k']);
    expect(both.code).toBe(2);
    const neither = await runCli(['send', '--url', apis.url, '--key', 'k']);
    expect(neither.code).toBe(2);
  });

  it('exits 1 when the collector refuses the write key, 2 for a missing file or bad batch size', async () => {
    const file = join(dir, 'one.jsonl');
    await writeFile(file, JSON.stringify({ type: 'track', userId: 'u', event: 'x' }));
    const wrongKey = await runCli(['send', file, '--url', apis.url, '--key', 'nope', '--no-progress']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('collector answered 401');
    const noFile = await runCli(['send', join(dir, 'absent.jsonl'), '--url', apis.url, '--key', 'k']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('cannot read');
    const badSize = await runCli(['send', file, '--batch-size', '501', '--url', apis.url, '--key', 'k']);
    expect(badSize.code).toBe(2);
    const noKey = await runCli(['send', file, '--url', apis.url], { CDP_WRITE_KEY: '', CDP_WRITE_KEYS: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('no write key');
  });
});
