import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileEventLog } from './file-event-log';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');

/** Runs the appender child until it acknowledged at least `minAcks` records plus a random delay, then kill -9. */
function appendThenKill(dir: string, run: string, minAcks: number): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'test', 'append-until-killed.ts'), dir, run],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked = new Map<string, string>();
    let rest = '';
    let errors = '';
    let killScheduled = false;
    child.stderr.on('data', (d: Buffer) => {
      errors += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const [tag, id, shard, seq] = line.split(' ');
        if (tag === 'ack') acked.set(id!, `${shard}/${seq}`);
      }
      if (!killScheduled && acked.size >= minAcks) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 300));
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`appender exited with ${code}: ${errors}`));
    });
  });
}

describe('file event log under kill -9', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-log-crash-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('every acknowledged record is readable at its sequence number after each of three crashes', async () => {
    const acked = new Map<string, string>();
    for (let run = 0; run < 3; run++) {
      // Act: append from a child process and kill it at a random moment
      const ackedThisRun = await appendThenKill(dir, `run${run}`, 2_000 + run * 1_500);
      for (const [id, at] of ackedThisRun) acked.set(id, at);
      // Assess: reopen (truncating any torn tail) and find every acknowledged record where it was acknowledged
      const log = openFileEventLog({ directory: dir, shardCount: 3, segmentBytes: 64 * 1024 });
      const found = new Map<string, string>();
      for (const shardId of log.shardIds) {
        const cursor = log.cursor(shardId, 0);
        let previous = -1;
        for (let batch = cursor.read(1000); batch.length > 0; batch = cursor.read(1000)) {
          for (const entry of batch) {
            expect(entry.sequence).toBe(previous + 1); // no gap, no duplicate
            previous = entry.sequence;
            found.set(entry.event.eventId, `${shardId}/${entry.sequence}`);
          }
        }
      }
      const missing = [...acked].filter(([id, at]) => found.get(id) !== at);
      expect(ackedThisRun.size).toBeGreaterThanOrEqual(2_000);
      expect(missing).toEqual([]);
      await log.close();
    }
  });
});
