import {
  BatchCreatePartitionCommand,
  EntityNotFoundException,
  GetPartitionsCommand,
  GetTableCommand,
  type GlueClient,
  type PartitionInput,
  type StorageDescriptor,
} from '@aws-sdk/client-glue';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { AwsAdapterError } from './aws-adapter-error';

/** What one sync did: partitions added, and those the catalog already had. */
export interface DtPartitionsResult {
  readonly created: number;
  readonly existing: number;
}

/** BatchCreatePartition takes at most 100 partitions per call. */
const BATCH = 100;
const DT_FOLDER = /dt=(\d{4}-\d{2}-\d{2})\/$/;

/**
 * Keeps the Glue catalog's `dt` partitions in step with the lake. Athena reads the tables through
 * partition projection, but Redshift Spectrum reads only partitions the catalog holds: without them a
 * new day's events (or a backfill into an old day) are invisible to the warehouse. For each table it
 * lists the `dt=` folders under the table's location and adds those the catalog lacks, each with the
 * table's storage descriptor and the folder as location. Idempotent; never removes a partition.
 */
export function createGlueDtPartitions(deps: { readonly glue: GlueClient; readonly s3: S3Client }) {
  const { glue, s3 } = deps;

  async function tableDescriptor(database: string, table: string): Promise<StorageDescriptor> {
    const { Table } = await glue
      .send(new GetTableCommand({ DatabaseName: database, Name: table }))
      .catch((error: unknown) => {
        if (error instanceof EntityNotFoundException)
          throw new AwsAdapterError(`Glue table ${database}.${table} does not exist`, { cause: error });
        throw error;
      });
    if (Table?.StorageDescriptor?.Location === undefined)
      throw new AwsAdapterError(`Glue table ${database}.${table} has no storage location`);
    if (!(Table.PartitionKeys ?? []).some((k) => k.Name === 'dt'))
      throw new AwsAdapterError(`Glue table ${database}.${table} is not partitioned by dt`);
    return Table.StorageDescriptor;
  }

  async function daysInLake(location: string): Promise<string[]> {
    const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
    if (!match) throw new AwsAdapterError(`Glue table location is not an s3:// URL: ${location}`);
    const [, bucket, path] = match as unknown as [string, string, string];
    const prefix = `${path.endsWith('/') || path === '' ? path : `${path}/`}dt=`;
    const days: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: '/',
          ContinuationToken: token,
        }),
      );
      for (const p of page.CommonPrefixes ?? []) {
        const day = p.Prefix === undefined ? undefined : DT_FOLDER.exec(p.Prefix)?.[1];
        if (day !== undefined) days.push(day);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return days;
  }

  async function daysInCatalog(database: string, table: string): Promise<Set<string>> {
    const days = new Set<string>();
    let token: string | undefined;
    do {
      const page = await glue.send(
        new GetPartitionsCommand({ DatabaseName: database, TableName: table, NextToken: token }),
      );
      for (const p of page.Partitions ?? []) if (p.Values?.[0] !== undefined) days.add(p.Values[0]);
      token = page.NextToken;
    } while (token !== undefined && token !== '');
    return days;
  }

  return {
    /** Adds the missing `dt` partitions of these tables (of one database). */
    async sync(database: string, tables: readonly string[]): Promise<DtPartitionsResult> {
      let created = 0;
      let existing = 0;
      for (const table of tables) {
        const descriptor = await tableDescriptor(database, table);
        const location = descriptor.Location as string;
        const base = location.endsWith('/') ? location : `${location}/`;
        const known = await daysInCatalog(database, table);
        const missing = (await daysInLake(base)).filter((day) => {
          if (!known.has(day)) return true;
          existing++;
          return false;
        });
        const inputs: PartitionInput[] = missing.map((day) => ({
          Values: [day],
          StorageDescriptor: { ...descriptor, Location: `${base}dt=${day}/` },
        }));
        for (let i = 0; i < inputs.length; i += BATCH) {
          const batch = inputs.slice(i, i + BATCH);
          const { Errors = [] } = await glue.send(
            new BatchCreatePartitionCommand({
              DatabaseName: database,
              TableName: table,
              PartitionInputList: batch,
            }),
          );
          // Another run may have added some since we looked: that is the state we want.
          const failed = Errors.filter((e) => e.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
          if (failed.length > 0) {
            const first = failed[0];
            throw new AwsAdapterError(
              `Glue refused ${failed.length} dt partition(s) of ${database}.${table}, e.g. ${first?.PartitionValues?.join('/')}: ${first?.ErrorDetail?.ErrorCode} ${first?.ErrorDetail?.ErrorMessage ?? ''}`.trim(),
              { cause: failed },
            );
          }
          existing += Errors.length;
          created += batch.length - Errors.length;
        }
      }
      return { created, existing };
    },
  };
}
