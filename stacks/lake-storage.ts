import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { BUCKET_ROLES, type BucketRole } from '../contracts/aws-resources';
import type { StackContext } from './context';
import { policyDocument } from './iam';

/** Days after which current objects expire, per bucket (`undefined`: kept, moved to colder tiers). */
const EXPIRE_AFTER_DAYS: Readonly<Record<BucketRole, number | undefined>> = {
  lake: undefined,
  imports: 90,
  staging: 30,
  artifacts: undefined,
  'firehose-errors': 90,
};

/**
 * The five buckets: versioned, SSE-KMS with the environment key (bucket keys on), owner-enforced, all
 * public access blocked, a policy that refuses non-TLS requests, and a lifecycle (lake → Standard-IA →
 * Glacier Instant Retrieval; transient buckets expire; old versions and stale multipart uploads go).
 */
export class LakeStorage extends Construct {
  readonly buckets: Readonly<Record<BucketRole, S3Bucket>>;

  constructor(scope: Construct, id: string, ctx: StackContext) {
    super(scope, id);
    const lake = ctx.config.lake;
    const buckets = {} as Record<BucketRole, S3Bucket>;
    for (const role of BUCKET_ROLES) {
      const bucket = new S3Bucket(this, role, { bucket: ctx.names.buckets[role], forceDestroy: false });
      buckets[role] = bucket;
      new S3BucketOwnershipControls(this, `${role}-ownership`, {
        bucket: bucket.id,
        rule: { objectOwnership: 'BucketOwnerEnforced' },
      });
      new S3BucketVersioningA(this, `${role}-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      });
      new S3BucketServerSideEncryptionConfigurationA(this, `${role}-encryption`, {
        bucket: bucket.id,
        rule: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: ctx.keyArn },
            bucketKeyEnabled: true,
          },
        ],
      });
      const publicAccess = new S3BucketPublicAccessBlock(this, `${role}-public-access`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      new S3BucketPolicy(this, `${role}-tls-only`, {
        bucket: bucket.id,
        dependsOn: [publicAccess],
        policy: policyDocument([
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:*'],
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      });
      const expire = EXPIRE_AFTER_DAYS[role];
      new S3BucketLifecycleConfiguration(this, `${role}-lifecycle`, {
        bucket: bucket.id,
        rule: [
          {
            id: 'tiering-and-expiry',
            status: 'Enabled',
            filter: [{ prefix: '' }],
            ...(expire === undefined
              ? {
                  transition: [
                    { days: lake.infrequentAccessAfterDays, storageClass: 'STANDARD_IA' },
                    { days: lake.glacierAfterDays, storageClass: 'GLACIER_IR' },
                  ],
                }
              : { expiration: [{ days: expire }] }),
            noncurrentVersionExpiration: [{ noncurrentDays: lake.noncurrentVersionExpirationDays }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
      });
    }
    this.buckets = buckets;
  }
}
