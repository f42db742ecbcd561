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

/** Events grouped by their UTC day, each day written as one file named `<prefix>-<day>.json.gz`. */
export async function writeEventsByDay(
  lakeDir: string,
  events: readonly CanonicalEvent[],
  prefix = 'part',
): Promise<void> {
  const byDay = new Map<string, CanonicalEvent[]>();
  for (const e of events) {
    const day = e.timestamp.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), e]);
  }
  for (const [day, rows] of byDay)
    await writeLakeFile(lakeDir, 'events', day, `${prefix}-${day}.json.gz`, rows);
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
