import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { policyDocument } from './iam';

/** Key administration actions the account keeps (listed, never `kms:*`). */
const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** Cryptographic actions, delegated to IAM policies of this account (each role lists what it needs). */
const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * The customer-managed key of one environment, rotated yearly. Its policy delegates use to IAM (so a
 * role can use the key only if its own policy names the key ARN) and lets CloudWatch Logs and
 * CloudWatch alarms (SNS) use it for their encrypted log groups and topic. In a key policy `Resource: *`
 * means "this key".
 */
export class Encryption extends Construct {
  readonly key: KmsKey;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly alias: string;
      readonly accountId: string;
      readonly region: string;
      readonly partition: string;
    },
  ) {
    super(scope, id);
    const root = `arn:${props.partition}:iam::${props.accountId}:root`;
    this.key = new KmsKey(this, 'key', {
      description: `Tributary ${props.alias}: every store and stream of the deployment`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          Sid: 'AccountAdministersKey',
          Effect: 'Allow',
          Principal: { AWS: root },
          Action: KEY_ADMIN_ACTIONS,
          Resource: ['*'],
        },
        {
          Sid: 'AccountDelegatesUseToIam',
          Effect: 'Allow',
          Principal: { AWS: root },
          Action: KEY_USE_ACTIONS,
          Resource: ['*'],
        },
        {
          Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
          Effect: 'Allow',
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
            'kms:GenerateDataKey',
            'kms:DescribeKey',
          ],
          Resource: ['*'],
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:*`,
            },
          },
        },
        {
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: ['*'],
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }
}
