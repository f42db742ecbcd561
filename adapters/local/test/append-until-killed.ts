// Child process of file-event-log.integration.test.ts: appends to the log at argv[2] from 4 concurrent
// writers until killed, printing `ack <eventId> <shardId> <sequence>` once `append` resolved.
import { openFileEventLog } from '../file-event-log';
import { logRecords } from './log-fixtures';

const directory = process.argv[2]!;
const run = process.argv[3]!;
const log = openFileEventLog({ directory, shardCount: 3, segmentBytes: 64 * 1024 });
let batch = 0;

async function writer(w: number): Promise<void> {
  for (;;) {
    const records = logRecords(`${run}-${w}-${batch++}`, 1 + (batch % 40));
    const appended = await log.append(records);
    process.stdout.write(
      `${appended.map((a, i) => `ack ${records[i]!.event.eventId} ${a.shardId} ${a.sequenceNumber}`).join('\n')}\n`,
    );
  }
}

process.stdout.write('ready\n');
for (let w = 0; w < 4; w++) void writer(w);
