import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { GlueSecurityConfiguration } from '@cdktf/provider-aws/lib/glue-security-configuration';
import { Construct } from 'constructs';
import { DT_PROJECTION_START, GLUE_TABLES, type GlueTableDefinition } from '../contracts/aws-resources';
import type { StackContext } from './context';

const JSON_LINES = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serDeInfo: {
    serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
    parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'FALSE' },
  },
};

/**
 * Athena-style partition projection on `dt` (event date, `yyyy-MM-dd`): no crawler and no partition
 * registration for Athena. `$${dt}` is Terraform's escape for a literal `${dt}`.
 */
export function dtProjection(location: string): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.range': `${DT_PROJECTION_START},NOW`,
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'storage.location.template': `${location}dt=$\${dt}/`,
  };
}

/**
 * The Glue catalog of the lake: one database, the tables of contracts/aws-resources.ts (all JSON
 * lines read by the OpenX SerDe, `dt` partition projection) and the security
 * configuration Glue jobs run with (SSE-KMS output, KMS-encrypted logs, CSE-KMS job bookmarks).
 */
export class Catalog extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly tables: Readonly<Record<string, GlueCatalogTable>>;
  readonly securityConfiguration: GlueSecurityConfiguration;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly bucketNames: Readonly<Record<GlueTableDefinition['bucket'], string>>;
    },
  ) {
    super(scope, id);
    const { ctx } = props;
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: ctx.names.glueDatabase,
      description: 'Tributary lake: canonical events and processor side outputs',
    });
    const tables: Record<string, GlueCatalogTable> = {};
    for (const def of GLUE_TABLES) {
      const location = `s3://${props.bucketNames[def.bucket]}/${def.prefix}`;
      const jsonKeys = Object.fromEntries(
        def.columns
          .filter((c) => c.jsonKey !== undefined)
          .map((c) => [`mapping.${c.name}`, c.jsonKey as string]),
      );
      const format = {
        ...JSON_LINES,
        serDeInfo: {
          ...JSON_LINES.serDeInfo,
          parameters: { ...JSON_LINES.serDeInfo.parameters, ...jsonKeys },
        },
      };
      tables[def.name] = new GlueCatalogTable(this, def.name, {
        name: def.name,
        databaseName: this.database.name,
        description: def.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: def.format,
          EXTERNAL: 'TRUE',
          ...(def.partitionedByDt ? dtProjection(location) : {}),
        },
        partitionKeys: def.partitionedByDt
          ? [{ name: 'dt', type: 'string', comment: 'event date, UTC' }]
          : [],
        storageDescriptor: {
          location,
          ...format,
          columns: def.columns.map((c) => ({
            name: c.name,
            type: c.type,
            ...(c.comment ? { comment: c.comment } : {}),
          })),
        },
      });
    }
    this.tables = tables;
    this.securityConfiguration = new GlueSecurityConfiguration(this, 'security', {
      name: ctx.names.glueSecurityConfiguration,
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: ctx.keyArn },
        cloudwatchEncryption: { cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: ctx.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: ctx.keyArn },
      },
    });
  }
}
