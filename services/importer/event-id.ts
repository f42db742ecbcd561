import * as crypto from 'node:crypto';

// One-shot `crypto.hash` (Node ≥ 20.12) with hex output is several times faster than createHash or
// a Buffer result for short inputs; this runs once per imported row.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex = (text: string): string =>
  oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
const VARIANT = '89ab';

/**
 * The id of the event a CSV row becomes: a UUID (version 8, RFC 9562) from the SHA-256 of the mapping
 * name and the row's cells, so re-importing a file or a duplicate row gives the same id and the
 * pipeline's dedupe keeps one. The Glue job computes the same id (tributary_glue/event_id.py).
 */
export function importEventId(mappingName: string, cells: readonly string[]): string {
  const hex = sha256Hex(`${mappingName}\n${JSON.stringify(cells)}`);
  const variant = VARIANT[Number.parseInt(hex[16] as string, 16) & 3] as string;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
