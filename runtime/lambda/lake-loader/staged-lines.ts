import { gunzipSync } from 'node:zlib';
import { CanonicalEvent } from '../../../contracts/canonical-event';

/** What one staged file held: its valid events and the line numbers it refused (never their text). */
export interface StagedFile {
  readonly events: readonly CanonicalEvent[];
  readonly invalidLines: readonly { readonly line: number; readonly reason: string }[];
}

/**
 * Reads a staged import file (JSON lines of canonical events, as the Glue job writes them; GZIP when
 * its first bytes say so). Blank lines are skipped; a line that is not a canonical event is reported
 * by number and reason, so one bad row cannot block a whole file.
 */
export function readStagedFile(bytes: Uint8Array): StagedFile {
  const raw = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  const events: CanonicalEvent[] = [];
  const invalidLines: { line: number; reason: string }[] = [];
  text.split('\n').forEach((lineText, i) => {
    const trimmed = lineText.trim();
    if (trimmed.length === 0) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      invalidLines.push({ line: i + 1, reason: 'not JSON' });
      return;
    }
    const parsed = CanonicalEvent.safeParse(json);
    if (parsed.success) events.push(parsed.data);
    else {
      const issue = parsed.error.issues[0];
      invalidLines.push({ line: i + 1, reason: `${issue?.path.join('.') || '(event)'}: ${issue?.message}` });
    }
  });
  return { events, invalidLines };
}
