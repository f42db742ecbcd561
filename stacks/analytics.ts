import { QuicksightDataSet } from '@cdktf/provider-aws/lib/quicksight-data-set';
import { QuicksightDataSource } from '@cdktf/provider-aws/lib/quicksight-data-source';
import { Construct } from 'constructs';
import { GLUE_TABLES, REDSHIFT_EXTERNAL_SCHEMA } from '../contracts/aws-resources';
import type { AnalyticsConfig } from './config';
import type { StackContext } from './context';
import type { Warehouse } from './warehouse';
import { REDSHIFT_PORT } from './warehouse';

/** Hive column type → QuickSight input column type. */
function quicksightType(hiveType: string): string {
  if (hiveType === 'timestamp') return 'DATETIME';
  if (hiveType === 'bigint' || hiveType === 'int') return 'INTEGER';
  if (hiveType === 'double') return 'DECIMAL';
  return 'STRING';
}

const DATA_SOURCE_ACTIONS = [
  'quicksight:DescribeDataSource',
  'quicksight:DescribeDataSourcePermissions',
  'quicksight:PassDataSource',
  'quicksight:UpdateDataSource',
  'quicksight:DeleteDataSource',
  'quicksight:UpdateDataSourcePermissions',
];
const DATA_SET_ACTIONS = [
  'quicksight:DescribeDataSet',
  'quicksight:DescribeDataSetPermissions',
  'quicksight:PassDataSet',
  'quicksight:DescribeIngestion',
  'quicksight:ListIngestions',
  'quicksight:UpdateDataSet',
  'quicksight:DeleteDataSet',
  'quicksight:CreateIngestion',
  'quicksight:CancelIngestion',
  'quicksight:UpdateDataSetPermissions',
];

/** Tables QuickSight gets a dataset for (through the Spectrum schema over the Glue catalog). */
export const QUICKSIGHT_TABLES = ['events', 'segment_changes'] as const;

/**
 * QuickSight on Redshift, only when `analytics.enabled` (QuickSight needs an account subscription and
 * a VPC connection first): a Redshift data source using the namespace's managed admin secret, and
 * direct-query datasets over the lake tables.
 */
export class Analytics extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly config: Extract<AnalyticsConfig, { enabled: true }>;
      readonly warehouse: Warehouse;
    },
  ) {
    super(scope, id);
    const { ctx, config, warehouse } = props;
    const source = new QuicksightDataSource(this, 'redshift', {
      dataSourceId: `${ctx.names.base}-redshift`,
      name: `Tributary ${ctx.config.name} (Redshift)`,
      type: 'REDSHIFT',
      parameters: {
        redshift: {
          host: warehouse.workgroup.endpoint.get(0).address,
          port: REDSHIFT_PORT,
          database: ctx.names.redshiftDatabase,
        },
      },
      credentials: { secretArn: warehouse.namespace.adminPasswordSecretArn },
      vpcConnectionProperties: { vpcConnectionArn: config.vpcConnectionArn },
      sslProperties: { disableSsl: false },
      permission: [{ principal: config.ownerArn, actions: DATA_SOURCE_ACTIONS }],
    });
    for (const name of QUICKSIGHT_TABLES) {
      const table = GLUE_TABLES.find((t) => t.name === name)!;
      const columns = [...table.columns, ...(table.partitionedByDt ? [{ name: 'dt', type: 'string' }] : [])];
      new QuicksightDataSet(this, `dataset-${name}`, {
        dataSetId: `${ctx.names.base}-${name.replace(/_/g, '-')}`,
        name: `Tributary ${ctx.config.name}: ${name}`,
        importMode: 'DIRECT_QUERY',
        physicalTableMap: [
          {
            physicalTableMapId: name.replace(/_/g, ''),
            relationalTable: {
              dataSourceArn: source.arn,
              schema: REDSHIFT_EXTERNAL_SCHEMA,
              name,
              inputColumns: columns
                .filter((c) => !c.type.startsWith('struct<'))
                .map((c) => ({ name: c.name, type: quicksightType(c.type) })),
            },
          },
        ],
        permissions: [{ principal: config.ownerArn, actions: DATA_SET_ACTIONS }],
      });
    }
  }
}
