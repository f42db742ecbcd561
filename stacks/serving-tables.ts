import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { TABLE_ROLES, TABLES, type TableRole } from '../contracts/aws-resources';
import type { StackContext } from './context';

/**
 * The serving and state tables, defined by contracts/aws-resources.ts: on-demand, point-in-time
 * recovery, TTL where the contract names a TTL attribute, SSE with the environment key, deletion
 * protection per environment.
 */
export class ServingTables extends Construct {
  readonly tables: Readonly<Record<TableRole, DynamodbTable>>;

  constructor(scope: Construct, id: string, ctx: StackContext) {
    super(scope, id);
    const tables = {} as Record<TableRole, DynamodbTable>;
    for (const role of TABLE_ROLES) {
      const def = TABLES[role];
      const keys = [
        def.partitionKey,
        def.sortKey,
        ...def.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
      ];
      const attributes = new Map<string, string>();
      for (const k of keys) if (k) attributes.set(k.name, k.type);
      tables[role] = new DynamodbTable(this, role, {
        name: ctx.names.tables[role],
        billingMode: 'PAY_PER_REQUEST',
        hashKey: def.partitionKey.name,
        ...(def.sortKey ? { rangeKey: def.sortKey.name } : {}),
        attribute: [...attributes].map(([name, type]) => ({ name, type })),
        globalSecondaryIndex: def.globalSecondaryIndexes.map((g) => ({
          name: g.name,
          hashKey: g.partitionKey.name,
          ...(g.sortKey ? { rangeKey: g.sortKey.name } : {}),
          projectionType: g.projection,
        })),
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: ctx.keyArn },
        ...(def.ttlAttribute ? { ttl: { enabled: true, attributeName: def.ttlAttribute } } : {}),
        deletionProtectionEnabled: ctx.config.tables.deletionProtection,
      });
    }
    this.tables = tables;
  }
}
