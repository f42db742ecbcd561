import { CreateDatabaseCommand, CreateTableCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { GlueTableDefinition } from '../../../contracts/aws-resources';

/**
 * Creates a Glue database and the given tables in the emulator as `stacks/catalog.ts` defines them
 * (JSON lines read by the OpenX SerDe, `dt` partition key where the table has one), each at
 * `s3://<bucket>/<prefix>`. Returns every table's location.
 */
export async function createGlueCatalog(
  glue: GlueClient,
  database: string,
  tables: readonly GlueTableDefinition[],
  bucket: string,
): Promise<Record<string, string>> {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
  const locations: Record<string, string> = {};
  for (const def of tables) {
    const location = `s3://${bucket}/${def.prefix}`;
    locations[def.name] = location;
    await glue.send(
      new CreateTableCommand({
        DatabaseName: database,
        TableInput: {
          Name: def.name,
          TableType: 'EXTERNAL_TABLE',
          PartitionKeys: def.partitionedByDt ? [{ Name: 'dt', Type: 'string' }] : [],
          StorageDescriptor: {
            Location: location,
            InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
            Columns: def.columns.map((c) => ({ Name: c.name, Type: c.type })),
          },
        },
      }),
    );
  }
  return locations;
}
