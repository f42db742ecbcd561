import type { ImportSink } from './import-csv';
import { type SegmentIdentify, toSegmentIdentify } from './segment-identify';

/** A batch the collector refused or could not be reached for. */
export class SegmentSendError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SegmentSendError';
  }
}

/** Where and how to send: the collector's base URL, a write key, batch limits and retries. */
export interface SegmentBatchConfig {
  endpoint: string;
  writeKey: string;
  /** Calls per batch (default 100). */
  batchSize?: number;
  /** Bytes of JSON per batch before it is sent early (default 450 KiB; Segment allows 500 KB). */
  maxBatchBytes?: number;
  /** Attempts per batch on network errors, 429 and 5xx (default 3). */
  attempts?: number;
}

/** What the sink needs from outside: `fetch` and a way to wait between retries. */
export interface SegmentBatchDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends imported events as Segment `identify` calls to a collector's `/v1/batch`, one batch at a
 * time (the importer waits while a batch is in flight). Rejected rows are not sent.
 */
export function createSegmentBatchSink(
  config: SegmentBatchConfig,
  deps: SegmentBatchDeps = {},
): ImportSink & { close(): Promise<void>; sent(): number } {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batchSize = config.batchSize ?? 100;
  const maxBytes = config.maxBatchBytes ?? 450 * 1024;
  const attempts = config.attempts ?? 3;
  const url = new URL('/v1/batch', config.endpoint).toString();
  const auth = `Basic ${Buffer.from(`${config.writeKey}:`).toString('base64')}`;
  let batch: SegmentIdentify[] = [];
  let bytes = 0;
  let sent = 0;

  async function post(calls: SegmentIdentify[]): Promise<void> {
    // No `sentAt`: imported times are historical facts, not device clocks, so the collector must not
    // apply Segment's clock-skew correction to them (re-imports then give identical events).
    const body = JSON.stringify({ batch: calls });
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body,
        });
        if (res.ok) {
          await res.arrayBuffer();
          sent += calls.length;
          return;
        }
        const text = (await res.text()).slice(0, 500);
        last = new SegmentSendError(`collector answered ${res.status}: ${text}`, res.status);
        if (res.status !== 429 && res.status < 500) throw last;
      } catch (error: unknown) {
        if (
          error instanceof SegmentSendError &&
          error.status !== undefined &&
          error.status < 500 &&
          error.status !== 429
        )
          throw error;
        last = error;
      }
      if (attempt < attempts) await sleep(200 * 2 ** (attempt - 1));
    }
    throw last instanceof SegmentSendError
      ? last
      : new SegmentSendError(`cannot reach the collector at ${url}`, undefined, { cause: last });
  }

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const calls = batch;
    batch = [];
    bytes = 0;
    await post(calls);
  }

  return {
    event(event) {
      const call = toSegmentIdentify(event);
      const size = JSON.stringify(call).length + 1;
      const pending = bytes + size > maxBytes ? flush() : undefined;
      const add = () => {
        batch.push(call);
        bytes += size;
        if (batch.length >= batchSize) return flush();
      };
      return pending ? pending.then(add) : add();
    },
    rejected() {},
    close: flush,
    sent: () => sent,
  };
}
