import { createHash } from 'node:crypto';

/**
 * The id of the event a CSV row becomes: a UUID (version 8, RFC 9562) from the SHA-256 of the mapping
 * name and the row's cells, so re-importing a file or a duplicate row gives the same id and the
 * pipeline's dedupe keeps one. The Glue job computes the same id (tributary_glue/event_id.py).
 */
export function importEventId(mappingName: string, cells: readonly string[]): string {
  const digest = createHash('sha256')
    .update(`${mappingName}\n${JSON.stringify(cells)}`, 'utf8')
    .digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x80;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
