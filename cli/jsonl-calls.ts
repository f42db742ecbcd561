import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CallToSend } from './send-calls';

/** A line of the input that is not a JSON object. */
export interface UnreadableLine {
  readonly line: number;
  readonly reason: string;
}

/**
 * Reads JSON lines (one Segment call per line; blank lines skipped) as calls to send, `origin` =
 * `line N`. Lines that are not JSON objects are reported to `onUnreadable` and skipped.
 */
export async function* jsonlCalls(
  input: Readable,
  onUnreadable: (line: UnreadableLine) => void,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<CallToSend> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of lines) {
    n++;
    onBytes?.(Buffer.byteLength(text) + 1);
    if (text.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error: unknown) {
      onUnreadable({
        line: n,
        reason: `not JSON (${error instanceof Error ? error.message : String(error)})`,
      });
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      onUnreadable({ line: n, reason: 'not a JSON object' });
      continue;
    }
    yield { call: value, origin: `line ${n}` };
  }
}
