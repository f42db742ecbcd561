import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { dtPartitionPrefix, GLUE_TABLES } from '../../../contracts/aws-resources';
import { type LakeRecord, type LakeWriter, lakeLine } from '../../../contracts/ports/lake-writer';

/**
 * The stream processor's lake writer: side outputs (identity links and merges, late events, segment
 * changes) as GZIP JSON lines under `<table>/dt=YYYY-MM-DD/` in the lake bucket. `events` rows are
 * dropped: Firehose delivers the stream itself into the lake. Each object is named by the hash of its
 * bytes, so a retried flush of the same rows overwrites instead of duplicating.
 */
export function createS3SideOutputWriter(
  config: { readonly bucket: string },
  deps: { readonly s3: Pick<S3Client, 'send'> },
): LakeWriter & { readonly written: () => number } {
  const pending: LakeRecord[] = [];
  let written = 0;
  return {
    async write(records) {
      for (const r of records) if (r.table !== 'events') pending.push(r);
    },
    async flush() {
      const rows = pending.splice(0, pending.length);
      const groups = new Map<string, string[]>();
      for (const r of rows) {
        const table = GLUE_TABLES.find((t) => t.name === r.table);
        if (table === undefined) throw new Error(`no lake table ${r.table}`);
        const prefix = table.partitionedByDt ? dtPartitionPrefix(table, r.timestamp) : table.prefix;
        const lines = groups.get(prefix) ?? [];
        lines.push(lakeLine(r));
        groups.set(prefix, lines);
      }
      for (const [prefix, lines] of groups) {
        const body = gzipSync(`${lines.join('\n')}\n`);
        const name = createHash('sha256').update(body).digest('hex').slice(0, 32);
        await deps.s3.send(
          new PutObjectCommand({
            Bucket: config.bucket,
            Key: `${prefix}part-${name}.json.gz`,
            Body: body,
            ContentType: 'application/x-ndjson',
            ContentEncoding: 'gzip',
          }),
        );
        written += lines.length;
      }
    },
    written: () => written,
  };
}
