import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  type BucketRole,
  dtPartitionPrefix,
  GLUE_TABLES,
  type GlueTableDefinition,
} from '../../contracts/aws-resources';
import {
  type LakeRecord,
  type LakeTable,
  type LakeWriter,
  lakeLine,
} from '../../contracts/ports/lake-writer';
import { AwsAdapterError } from './aws-adapter-error';
import type { S3Objects } from './s3-objects';

const gzipAsync = promisify(gzip);
const TABLES = new Map<string, GlueTableDefinition>(GLUE_TABLES.map((t) => [t.name, t]));

/** The deployment's bucket names (`resourceNames(...).buckets`). */
export interface S3LakeWriterConfig {
  readonly buckets: Readonly<Partial<Record<BucketRole, string>>>;
}

/** S3 operations and how object names are made unique. */
export interface S3LakeWriterDeps {
  readonly objects: S3Objects;
  /** A unique part of each object name; `randomUUID` by default. */
  readonly objectId?: () => string;
}

/**
 * The lake writer straight to S3, for the side outputs the stream processor writes from Lambda (the
 * `events` table comes from Firehose reading the stream): rows are buffered per table and `dt`
 * partition, and `flush` writes each group as one GZIP JSON-lines object
 * `<table prefix>dt=YYYY-MM-DD/part-<id>.json.gz` in the table's bucket (`GLUE_TABLES`), the layout of
 * the local lake. A failed flush keeps the rows for the next one. Rows of a redelivered batch land in
 * a new object; readers dedupe by their natural id (event id, link, merge cause).
 */
export function createS3LakeWriter(config: S3LakeWriterConfig, deps: S3LakeWriterDeps): LakeWriter {
  const objectId = deps.objectId ?? randomUUID;
  const buffers = new Map<string, { table: GlueTableDefinition; prefix: string; lines: string[] }>();

  return {
    async write(records: readonly LakeRecord[]) {
      for (const r of records) {
        const table = TABLES.get(r.table);
        if (table === undefined)
          throw new AwsAdapterError(`unknown lake table ${r.table satisfies LakeTable}`);
        if (config.buckets[table.bucket] === undefined) {
          throw new AwsAdapterError(`no bucket is configured for ${table.bucket} (lake table ${r.table})`);
        }
        if (!/^\d{4}-\d{2}-\d{2}T/.test(r.timestamp)) {
          throw new AwsAdapterError(`lake row of ${r.table} has no ISO timestamp to partition by`);
        }
        const prefix = table.partitionedByDt ? dtPartitionPrefix(table, r.timestamp) : table.prefix;
        const group = buffers.get(prefix) ?? { table, prefix, lines: [] };
        group.lines.push(lakeLine(r));
        buffers.set(prefix, group);
      }
    },
    async flush() {
      for (const [prefix, group] of [...buffers]) {
        const body = await gzipAsync(Buffer.from(`${group.lines.join('\n')}\n`, 'utf8'));
        await deps.objects.put(
          config.buckets[group.table.bucket]!,
          `${prefix}part-${objectId()}.json.gz`,
          body,
          {
            contentType: 'application/x-ndjson',
            contentEncoding: 'gzip',
          },
        );
        buffers.delete(prefix);
      }
    },
  };
}
