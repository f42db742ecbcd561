import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import {
  type LakeRecord,
  type LakeTable,
  type LakeWriter,
  lakeLine,
} from '../../contracts/ports/lake-writer';
import { AwsAdapterError } from './aws-adapter-error';
import { chunkBySize } from './chunks';
import {
  DEFAULT_RETRY_POLICY,
  type RetryDeps,
  type RetryPolicy,
  sendRetryingFailed,
  validRetryPolicy,
} from './retry';

/** Firehose's PutRecordBatch limits: 500 records and 4 MiB per call, 1,000 KiB per record. */
export const PUT_RECORD_BATCH_LIMITS = {
  maxRecords: 500,
  maxRequestBytes: 4 * 1024 * 1024,
  maxRecordBytes: 1_000 * 1024,
} as const;

/** Which delivery stream takes which lake table, and how records are framed. */
export interface FirehoseLakeWriterConfig {
  /** A DirectPut delivery stream per table written; writing a table without one is an error. */
  readonly deliveryStreams: Readonly<Partial<Record<LakeTable, string>>>;
  /**
   * Ends each record with `\n` (JSON lines). Leave on unless the delivery stream appends the
   * delimiter itself (`AppendDelimiterToRecord`); default true.
   */
  readonly appendNewline?: boolean;
  /** Records buffered per table before `write` sends them without waiting for `flush`; default 500. */
  readonly sendAtRecords?: number;
  readonly retry?: RetryPolicy;
}

/** The Firehose client (built by the entry file) and the retry loop's clock and dice. */
export interface FirehoseLakeWriterDeps extends RetryDeps {
  readonly firehose: Pick<FirehoseClient, 'send'>;
}

/**
 * The lake writer over Firehose (DirectPut): rows become JSON lines, buffered per table and sent with
 * PutRecordBatch in chunks of ≤ 500 records / 4 MiB; only the records Firehose refused are sent again,
 * with full-jitter backoff. `flush` resolves once Firehose has taken every row written before it
 * (Firehose then owns delivery to S3, with its own retries and error prefix); it rejects with an
 * {@link AwsAdapterError} when records are still refused after the last attempt, and those rows stay
 * buffered for the next `flush`.
 */
export function createFirehoseLakeWriter(
  config: FirehoseLakeWriterConfig,
  deps: FirehoseLakeWriterDeps,
): LakeWriter {
  const policy = validRetryPolicy(config.retry ?? DEFAULT_RETRY_POLICY);
  const newline = config.appendNewline ?? true;
  const sendAt = config.sendAtRecords ?? PUT_RECORD_BATCH_LIMITS.maxRecords;
  const buffers = new Map<LakeTable, Uint8Array[]>();
  let sending: Promise<void> = Promise.resolve();

  async function send(table: LakeTable, records: Uint8Array[]): Promise<void> {
    const stream = config.deliveryStreams[table]!;
    const chunks = chunkBySize(
      records,
      { maxCount: PUT_RECORD_BATCH_LIMITS.maxRecords, maxBytes: PUT_RECORD_BATCH_LIMITS.maxRequestBytes },
      (r) => r.byteLength,
    );
    for (const [index, chunk] of chunks.entries()) {
      let left: readonly Uint8Array[] = chunk;
      try {
        await sendRetryingFailed(
          `PutRecordBatch to ${stream}`,
          chunk,
          async (pending) => {
            const res = await deps.firehose.send(
              new PutRecordBatchCommand({
                DeliveryStreamName: stream,
                Records: pending.map((Data) => ({ Data })),
              }),
            );
            const answers = res.RequestResponses ?? [];
            if (answers.length !== pending.length) {
              throw new AwsAdapterError(
                `PutRecordBatch answered ${answers.length} results for ${pending.length} records`,
              );
            }
            const failed: Uint8Array[] = [];
            const errorCodes: string[] = [];
            answers.forEach((a, i) => {
              if (a.ErrorCode !== undefined || a.RecordId === undefined) {
                failed.push(pending[i]!);
                errorCodes.push(a.ErrorCode ?? 'MissingRecordId');
              }
            });
            left = failed;
            return { failed, errorCodes };
          },
          policy,
          deps,
        );
      } catch (error) {
        // Rows not taken go back to the buffer, so nothing written is dropped.
        const rest = chunks.slice(index + 1).flat();
        buffers.set(table, [...left, ...rest, ...(buffers.get(table) ?? [])]);
        throw error;
      }
    }
  }

  function takeAll(table?: LakeTable): [LakeTable, Uint8Array[]][] {
    const out: [LakeTable, Uint8Array[]][] = [];
    for (const [t, records] of buffers) {
      if (table !== undefined && t !== table) continue;
      if (records.length > 0) out.push([t, records]);
      buffers.delete(t);
    }
    return out;
  }

  function enqueue(work: [LakeTable, Uint8Array[]][]): Promise<void> {
    const next = sending.then(async () => {
      for (const [i, [t, records]] of work.entries()) {
        try {
          await send(t, records);
        } catch (error) {
          // The tables not sent yet go back to their buffers too.
          for (const [u, rest] of work.slice(i + 1)) buffers.set(u, [...rest, ...(buffers.get(u) ?? [])]);
          throw error;
        }
      }
    });
    sending = next.catch(() => {});
    return next;
  }

  return {
    async write(records: readonly LakeRecord[]) {
      const full = new Set<LakeTable>();
      for (const r of records) {
        if (config.deliveryStreams[r.table] === undefined) {
          throw new AwsAdapterError(`no Firehose delivery stream is configured for lake table ${r.table}`);
        }
      }
      for (const r of records) {
        const line = lakeLine(r);
        const data = Buffer.from(newline ? `${line}\n` : line, 'utf8');
        if (data.byteLength > PUT_RECORD_BATCH_LIMITS.maxRecordBytes) {
          throw new AwsAdapterError(
            `a ${r.table} row of ${data.byteLength} bytes is over Firehose's ${PUT_RECORD_BATCH_LIMITS.maxRecordBytes}-byte record limit`,
          );
        }
        const buffer = buffers.get(r.table) ?? [];
        buffer.push(data);
        buffers.set(r.table, buffer);
        if (buffer.length >= sendAt) full.add(r.table);
      }
      for (const t of full) await enqueue(takeAll(t));
    },
    async flush() {
      await enqueue(takeAll());
    },
  };
}
