import { IngestResponse, type RejectedEvent } from '../../contracts/ingest-response';

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
  /**
   * A batch in which the collector found no valid event (`400 no_valid_events`) is reported as an
   * answer with `accepted: 0` instead of failing the send (default false: it fails).
   */
  tolerateRejectedBatches?: boolean;
}

/** What the collector said about one batch. */
export interface BatchAnswer {
  readonly calls: number;
  readonly accepted: number;
  readonly rejected: readonly RejectedEvent[];
}

/** What the sender needs from outside: `fetch`, a way to wait between retries, and who hears answers. */
export interface SegmentBatchDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  onAnswer?: (answer: BatchAnswer) => void;
}

/** Sends Segment calls to `/v1/batch` in batches, one batch in flight at a time. */
export interface SegmentBatchSender {
  /** Queues a call; resolves once a batch it completed (if any) was acknowledged. */
  add(call: object): Promise<void> | undefined;
  /** Sends what is queued. */
  flush(): Promise<void>;
  /** Calls the collector accepted so far. */
  sent(): number;
}

function answerOf(calls: number, text: string): BatchAnswer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = IngestResponse.safeParse(json);
  // a collector that does not itemize (`{ success: true }`, as Segment answers) accepted everything
  if (!parsed.success) return { calls, accepted: calls, rejected: [] };
  return { calls, accepted: parsed.data.accepted, rejected: parsed.data.rejected };
}

/**
 * Creates a sender of Segment calls to a collector's `/v1/batch` (HTTP Basic write key, no `sentAt`):
 * batches by count and bytes, retries network errors, 429 and 5xx with exponential backoff, fails on
 * other 4xx with the collector's answer in the message.
 */
export function createSegmentBatchSender(
  config: SegmentBatchConfig,
  deps: SegmentBatchDeps = {},
): SegmentBatchSender {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batchSize = config.batchSize ?? 100;
  const maxBytes = config.maxBatchBytes ?? 450 * 1024;
  const attempts = config.attempts ?? 3;
  const url = new URL('/v1/batch', config.endpoint).toString();
  const auth = `Basic ${Buffer.from(`${config.writeKey}:`).toString('base64')}`;
  let batch: string[] = [];
  let bytes = 0;
  let sent = 0;

  async function post(calls: string[]): Promise<void> {
    // No `sentAt`: the calls' own timestamps are taken as they are (no clock-skew correction), so a
    // re-send of the same calls gives identical events.
    const body = `{"batch":[${calls.join(',')}]}`;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body,
        });
        const text = await res.text();
        if (res.ok || (res.status === 400 && config.tolerateRejectedBatches)) {
          const answer = answerOf(calls.length, text);
          if (res.ok || (answer.accepted === 0 && answer.rejected.length > 0)) {
            sent += answer.accepted;
            deps.onAnswer?.(answer);
            return;
          }
        }
        last = new SegmentSendError(`collector answered ${res.status}: ${text.slice(0, 500)}`, res.status);
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
    add(call) {
      const json = JSON.stringify(call);
      const size = Buffer.byteLength(json) + 1;
      const pending = bytes + size > maxBytes ? flush() : undefined;
      const add = () => {
        batch.push(json);
        bytes += size;
        if (batch.length >= batchSize) return flush();
      };
      return pending ? pending.then(add) : add();
    },
    flush,
    sent: () => sent,
  };
}
