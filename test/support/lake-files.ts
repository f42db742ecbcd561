import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLocalLakeWriter } from '../../adapters/local/local-lake-writer';
import type { CanonicalEvent } from '../../contracts/canonical-event';

/**
 * Writes one lake file by hand (GZIP JSON lines under `<lake>/<table>/[dt=YYYY-MM-DD/]`): for tables
 * the lake writer does not write (`crm_contacts`) and for files a test needs to name (a retried put).
 */
export async function writeLakeFile(
  lakeDir: string,
  table: string,
  day: string | undefined,
  fileName: string,
  rows: readonly unknown[],
): Promise<string> {
  const dir = day === undefined ? join(lakeDir, table) : join(lakeDir, table, `dt=${day}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  await writeFile(path, gzipSync(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`));
  return path;
}

/** Events landed through the embedded runtime's own lake writer (one flush: one file per day). */
export async function writeEventsByDay(lakeDir: string, events: readonly CanonicalEvent[]): Promise<void> {
  const writer = createLocalLakeWriter({ directory: lakeDir });
  await writer.write(events.map((e) => ({ table: 'events' as const, timestamp: e.timestamp, row: e })));
  await writer.flush();
}

let counter = 0;

/** A canonical event with defaults for everything a test does not care about. */
export function canonicalEvent(
  fields: Partial<CanonicalEvent> & Pick<CanonicalEvent, 'eventName' | 'timestamp' | 'identity'>,
): CanonicalEvent {
  counter++;
  return {
    eventId: `evt-${counter.toString().padStart(6, '0')}`,
    type: 'track',
    receivedAt: fields.timestamp,
    source: 'web',
    properties: {},
    traits: {},
    context: {},
    ...fields,
  };
}
