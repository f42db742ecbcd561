import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpointStorage } from '../index';
import { sessionSumJob, type TimedKV } from './fixtures';

type E = TimedKV;

describe('FileCheckpointStorage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'engine-ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a job restored from the latest file checkpoint finishes like an uninterrupted run', async () => {
    const events: E[] = Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 5}`, value: 1, ts: i * 13 }));
    const build = () =>
      sessionSumJob(events, { checkpointStorage: new FileCheckpointStorage({ directory: dir, retain: 2 }) });
    const whole = build();
    whole.env.createJob('whole').runToCompletion();

    const first = build();
    const job = first.env.createJob('files');
    for (let i = 0; i < 3; i++) await job.stepAsync();
    const taken = await job.checkpointAsync();
    await job.stepAsync();
    await job.checkpointAsync();
    await job.checkpointAsync();
    expect(readdirSync(dir).sort()).toEqual(['files-000000000002.ckpt', 'files-000000000003.ckpt']);

    const storage = new FileCheckpointStorage({ directory: dir });
    const latest = storage.latest('files');
    expect(latest?.checkpointId).toBe(3);
    expect(taken.checkpointId).toBe(1);
    const second = build();
    second.env.createJob('files', { restoreFrom: latest }).runToCompletion();
    expect([...first.sink.values, ...second.sink.values]).toEqual(whole.sink.values);
    expect(storage.latest('other')).toBeUndefined();
    expect(() => storage.latest('../etc')).toThrow(/cannot name a checkpoint file/);
  });
});
