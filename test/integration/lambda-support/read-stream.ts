import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisSource, type KinesisRecord } from '../../../adapters/aws/kinesis-shard-reader';
import type { CanonicalEvent } from '../../../contracts/canonical-event';

/** Every record on the stream, shard by shard, read with the shard reader adapter. */
export async function readStream(kinesis: KinesisClient, streamName: string): Promise<KinesisRecord[]> {
  const source = await createKinesisSource({ streamName }, { kinesis });
  const out: KinesisRecord[] = [];
  for (const shard of source.partitions()) {
    const reader = source.createReader(shard, undefined);
    for (;;) {
      const batch = await reader.poll(10_000);
      out.push(...batch.records);
      if (batch.records.length === 0) break;
    }
  }
  return out;
}

/** The canonical event a record carries. */
export function eventOf(record: KinesisRecord): CanonicalEvent {
  return JSON.parse(Buffer.from(record.data).toString('utf8')) as CanonicalEvent;
}
