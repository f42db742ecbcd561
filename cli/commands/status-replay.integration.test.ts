import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCdp, startCdpDev, tempDataDir } from '../../test/e2e/support/cdp-dev-process';
import { readLakeTable } from '../../test/e2e/support/lake-files';
import { createBatchSender } from '../../test/e2e/support/send-batches';

jest.setTimeout(120_000);

describe('cdp status and cdp replay', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('status reports lag per shard and checkpoint age of the running process; replay rebuilds the lake once cdp dev stopped', async () => {
    // Prepare
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const dev = await startCdpDev({ dataDir, env: { CDP_SHARDS: '2', CDP_CHECKPOINT_INTERVAL_MS: '300' } });
    const sender = createBatchSender(dev.url, dev.writeKey);
    const batch = Array.from({ length: 40 }, (_, i) => ({
      type: 'track',
      userId: `u${i % 9}`,
      event: 'E',
      messageId: `s-${i}`,
    }));
    expect((await sender.post(batch)).status).toBe(200);
    sender.close();
    await new Promise((r) => setTimeout(r, 1000));
    try {
      // Act
      const status = spawnCdp(['status', '--json'], { CDP_DATA_DIR: dataDir });
      const statusCode = await status.exited;
      const refused = spawnCdp(['replay'], { CDP_DATA_DIR: dataDir, CDP_SHARDS: '2' });
      const refusedCode = await refused.exited;
      expect(await dev.stop()).toBe(0);
      const notRunning = spawnCdp(['status'], { CDP_DATA_DIR: dataDir });
      const notRunningCode = await notRunning.exited;
      rmSync(join(dataDir, 'lake'), { recursive: true, force: true });
      const replay = spawnCdp(['replay'], { CDP_DATA_DIR: dataDir, CDP_SHARDS: '2' });
      const replayCode = await replay.exited;
      // Assess
      expect(statusCode).toBe(0);
      const report = JSON.parse(status.output());
      expect(report.acknowledgedTotal).toBe(40);
      expect(report.shards.map((s: { shard: string }) => s.shard)).toEqual(['shard-000000', 'shard-000001']);
      expect(report.shards.reduce((n: number, s: { end: number }) => n + s.end, 0)).toBe(40);
      expect(report.shards.every((s: { lag: number }) => s.lag === 0)).toBe(true);
      expect(report.checkpointAgeSeconds).toBeLessThan(60);
      expect(refusedCode).toBe(4);
      expect(refused.output()).toMatch(/another Tributary process/);
      expect(notRunningCode).toBe(3);
      expect(replayCode).toBe(0);
      expect(replay.output()).toMatch(/Replayed 40 events/);
      const ids = readLakeTable(join(dataDir, 'lake'), 'events').map((r) => r.eventId);
      expect(ids.sort()).toEqual(batch.map((b) => b.messageId).sort());
    } finally {
      await dev.kill9();
    }
  });
});
