import { RedshiftserverlessNamespace } from '@cdktf/provider-aws/lib/redshiftserverless-namespace';
import { RedshiftserverlessUsageLimit } from '@cdktf/provider-aws/lib/redshiftserverless-usage-limit';
import { RedshiftserverlessWorkgroup } from '@cdktf/provider-aws/lib/redshiftserverless-workgroup';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { GLUE_TABLES, S3_PREFIXES } from '../contracts/aws-resources';
import type { StackContext } from './context';
import { allow, ServiceRole } from './iam';

/** Redshift's port. */
export const REDSHIFT_PORT = 5439;

/**
 * Redshift Serverless: a namespace (KMS-encrypted, admin password generated and rotated by Secrets
 * Manager, audit logs exported) and a private workgroup in the configured subnets (enhanced VPC routing,
 * TLS required), a role for Spectrum over the Glue database and for COPY/UNLOAD, and a monthly RPU-hour
 * usage limit.
 */
export class Warehouse extends Construct {
  readonly namespace: RedshiftserverlessNamespace;
  readonly workgroup: RedshiftserverlessWorkgroup;
  readonly role: ServiceRole;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly ctx: StackContext; readonly lake: S3Bucket; readonly staging: S3Bucket },
  ) {
    super(scope, id);
    const { ctx, lake, staging } = props;
    const cfg = ctx.config.warehouse;
    const db = ctx.names.glueDatabase;
    this.role = new ServiceRole(this, 'role', {
      name: `${ctx.names.base}-redshift`,
      // Redshift (Spectrum, COPY, UNLOAD) and Redshift Serverless (scheduled queries) assume it.
      service: ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'],
      statements: [
        allow(
          'SpectrumReadsCatalog',
          [
            'glue:GetDatabase',
            'glue:GetDatabases',
            'glue:GetTable',
            'glue:GetTables',
            'glue:GetPartition',
            'glue:GetPartitions',
            'glue:BatchGetPartition',
            'glue:CreatePartition',
            'glue:BatchCreatePartition',
          ],
          [
            ctx.arn('glue', 'catalog'),
            ctx.arn('glue', `database/${db}`),
            ...GLUE_TABLES.map((t) => ctx.arn('glue', `table/${db}/${t.name}`)),
          ],
        ),
        allow('ListLakeAndStaging', ['s3:ListBucket', 's3:GetBucketLocation'], [lake.arn, staging.arn]),
        // Spectrum reads the lake's catalog tables only (not Firehose's error records), and the staging
        // bucket (the CRM table, COPY sources).
        allow(
          'ReadLakeTablesAndStaging',
          ['s3:GetObject'],
          [
            ...GLUE_TABLES.filter((t) => t.bucket === 'lake').map((t) => `${lake.arn}/${t.prefix}*`),
            `${staging.arn}/*`,
          ],
        ),
        allow(
          'UnloadToStaging',
          ['s3:PutObject', 's3:DeleteObject'],
          [`${staging.arn}/${S3_PREFIXES.unload}*`],
        ),
        // The lake (and everything else) is encrypted with the environment key.
        allow('UseEnvironmentKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [ctx.keyArn]),
      ],
    });
    this.namespace = new RedshiftserverlessNamespace(this, 'namespace', {
      namespaceName: ctx.names.redshiftNamespace,
      dbName: ctx.names.redshiftDatabase,
      adminUsername: 'tributary_admin',
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: ctx.keyArn,
      kmsKeyId: ctx.keyArn,
      iamRoles: [this.role.role.arn],
      defaultIamRoleArn: this.role.role.arn,
      logExports: ['connectionlog', 'useractivitylog', 'userlog'],
    });
    const sg = new SecurityGroup(this, 'security-group', {
      name: `${ctx.names.base}-redshift`,
      description: 'Redshift Serverless workgroup: port 5439 from the allowed CIDRs only',
      vpcId: cfg.vpcId,
    });
    cfg.allowedCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `ingress-${i}`, {
        securityGroupId: sg.id,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: REDSHIFT_PORT,
        toPort: REDSHIFT_PORT,
        description: 'Redshift clients',
      });
    });
    new VpcSecurityGroupEgressRule(this, 'egress-https', {
      securityGroupId: sg.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'S3, Glue and KMS endpoints (enhanced VPC routing)',
    });
    this.workgroup = new RedshiftserverlessWorkgroup(this, 'workgroup', {
      workgroupName: ctx.names.redshiftWorkgroup,
      namespaceName: this.namespace.namespaceName,
      baseCapacity: cfg.baseCapacityRpu,
      ...(cfg.maxCapacityRpu === undefined ? {} : { maxCapacity: cfg.maxCapacityRpu }),
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      subnetIds: cfg.subnetIds,
      securityGroupIds: [sg.id],
      port: REDSHIFT_PORT,
      configParameter: [{ parameterKey: 'require_ssl', parameterValue: 'true' }],
    });
    new RedshiftserverlessUsageLimit(this, 'usage-limit', {
      resourceArn: this.workgroup.arn,
      usageType: 'serverless-compute',
      amount: cfg.monthlyRpuHoursLimit,
      period: 'monthly',
      breachAction: cfg.usageLimitBreachAction,
    });
  }
}
