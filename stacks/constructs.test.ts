import 'cdktf/lib/testing/adapters/jest';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Testing } from 'cdktf';
import { resourceNames } from '../contracts/aws-resources';
import { Catalog } from './catalog';
import type { StackContext, StackNames } from './context';
import { Encryption } from './encryption';
import { EventStream } from './event-stream';
import { LakeStorage } from './lake-storage';
import { ServingTables } from './serving-tables';
import { environment } from './test-support';

Testing.setupJest();

/** A context with literal account and key, as each capability construct receives it from the stack. */
function context(change: (raw: Record<string, unknown>) => void = () => {}): StackContext {
  const config = environment('dev', (raw) => {
    raw.prefix = 'acme';
    change(raw);
  });
  const accountId = '111122223333';
  return {
    config,
    names: resourceNames({ prefix: config.prefix, environment: config.name, accountId }) as StackNames,
    accountId,
    region: 'eu-west-1',
    partition: 'aws',
    keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/test',
    arn: (service, resource) => `arn:aws:${service}:eu-west-1:${accountId}:${resource}`,
    tags: {},
  };
}

describe('capability constructs in isolation (Testing.synthScope)', () => {
  it('ServingTables names tables from the contract with the configured prefix', () => {
    const json = Testing.synthScope((scope) => {
      new ServingTables(scope, 'serving', context());
    });
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: 'acme-dev-identities',
      server_side_encryption: { enabled: true, kms_key_arn: 'arn:aws:kms:eu-west-1:111122223333:key/test' },
    });
    expect(json).not.toHaveResourceWithProperties(DynamodbTable, { name: 'tributary-dev-identities' });
  });

  it('EventStream follows the configured capacity mode and shard count', () => {
    const json = Testing.synthScope((scope) => {
      new EventStream(
        scope,
        'events',
        context((raw) => {
          raw.stream = { mode: 'PROVISIONED', shardCount: 2, retentionHours: 48 };
        }),
      );
    });
    expect(json).toHaveResourceWithProperties(KinesisStream, {
      name: 'acme-dev-events',
      shard_count: 2,
      retention_period: 48,
      stream_mode_details: { stream_mode: 'PROVISIONED' },
    });
  });

  it('LakeStorage names buckets with the account id', () => {
    const json = Testing.synthScope((scope) => {
      new LakeStorage(scope, 'storage', context());
    });
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: 'acme-dev-firehose-errors-111122223333' });
  });

  it('Catalog points partition projection at the lake bucket', () => {
    const ctx = context();
    const json = Testing.synthScope((scope) => {
      new Catalog(scope, 'catalog', { ctx, bucketNames: ctx.names.buckets });
    });
    expect(json).toHaveResourceWithProperties(GlueCatalogTable, {
      name: 'late_events',
      parameters: expect.objectContaining({
        'storage.location.template': 's3://acme-dev-lake-111122223333/late_events/dt=$$' + '{dt}/',
      }),
    });
  });

  it('Encryption keeps key administration with the account and never grants kms:*', () => {
    const json = Testing.synthScope((scope) => {
      new Encryption(scope, 'encryption', {
        alias: 'alias/acme-dev',
        accountId: '111122223333',
        region: 'eu-west-1',
        partition: 'aws',
      });
    });
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    const policy = JSON.parse(
      (Object.values(JSON.parse(json).resource.aws_kms_key)[0] as { policy: string }).policy,
    ) as { Statement: { Action: string[]; Principal: { AWS?: string } }[] };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions).toContain('kms:PutKeyPolicy');
    expect(actions).not.toContain('kms:*');
    expect(policy.Statement[0]?.Principal.AWS).toBe('arn:aws:iam::111122223333:root');
  });
});
