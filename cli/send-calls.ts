import type { RejectedEvent } from '../contracts/ingest-response';
import {
  type BatchAnswer,
  createSegmentBatchSender,
  type SegmentBatchDeps,
} from '../services/importer/segment-batch-sender';

/** One Segment call to send, with where it came from (a line number, a generated index). */
export interface CallToSend {
  readonly call: object;
  readonly origin: string;
}

/** A call the collector refused, with its origin and reasons. */
export interface Refusal {
  readonly origin: string;
  readonly errors: RejectedEvent['errors'];
}

/** What `sendCalls` did. */
export interface SendSummary {
  readonly sent: number;
  readonly accepted: number;
  readonly rejected: number;
  /** The first refusals (at most `keepRefusals`), in order. */
  readonly refusals: readonly Refusal[];
}

/** Where to send, and how. */
export interface SendConfig {
  readonly url: string;
  readonly writeKey: string;
  readonly batchSize: number;
  readonly keepRefusals?: number;
}

/**
 * Sends Segment calls to a collector's `/v1/batch` in batches (one in flight), counting what was
 * accepted and what was refused (with each refusal's origin). Throws `SegmentSendError` when the
 * collector cannot be reached or refuses a batch as a whole (bad key, body too large).
 */
export async function sendCalls(
  calls: AsyncIterable<CallToSend> | Iterable<CallToSend>,
  config: SendConfig,
  deps: Pick<SegmentBatchDeps, 'fetch' | 'sleep'> & { onProgress?: (sent: number) => void } = {},
): Promise<SendSummary> {
  const keep = config.keepRefusals ?? 20;
  const origins: string[] = [];
  const refusals: Refusal[] = [];
  let sent = 0;
  let accepted = 0;
  let rejected = 0;
  const onAnswer = (answer: BatchAnswer) => {
    const batchOrigins = origins.splice(0, answer.calls);
    for (const r of answer.rejected) {
      if (refusals.length < keep) refusals.push({ origin: batchOrigins[r.index] ?? '?', errors: r.errors });
    }
    sent += answer.calls;
    accepted += answer.accepted;
    rejected += answer.rejected.length;
    deps.onProgress?.(sent);
  };
  const sender = createSegmentBatchSender(
    {
      endpoint: config.url,
      writeKey: config.writeKey,
      batchSize: config.batchSize,
      tolerateRejectedBatches: true,
    },
    { ...deps, onAnswer },
  );
  for await (const { call, origin } of calls) {
    origins.push(origin);
    await sender.add(call);
  }
  await sender.flush();
  return { sent, accepted, rejected, refusals };
}
