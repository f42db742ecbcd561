import { GlueJob } from '@cdktf/provider-aws/lib/glue-job';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { S3_PREFIXES } from '../contracts/aws-resources';
import type { Catalog } from './catalog';
import type { StackContext } from './context';
import { allow, ServiceRole } from './iam';
import type { TributaryFunction } from './lambda-function';

/** The Glue job's files, an explicit input like the Lambda bundles (stacks/main.ts finds the real ones). */
export interface GlueJobAssets {
  /** The job entry point (`glue-jobs/crm_import.py`). */
  readonly script: string;
  /** A folder whose content becomes the `--extra-py-files` zip (it holds `tributary_glue/`). */
  readonly pythonModulesDir: string;
  /** The mapping spec (`glue-jobs/mappings/crm-default.json`). */
  readonly mapping: string;
  /** Extra pip requirements for `--additional-python-modules` (`phonenumbers==...`). */
  readonly additionalPythonModules: readonly string[];
}

/** Glue 5.0 defaults: two G.1X workers are plenty for CRM exports of a few million rows. */
const GLUE_VERSION = '5.0';

/**
 * Batch imports: the CRM import Glue job (script, Python modules and mapping uploaded to the artifacts
 * bucket as Terraform assets; job bookmarks on; the Glue security configuration) and the lake loader
 * Lambda, which S3 invokes for every staged file under `crm-import/` to feed it into the stream.
 */
export class BatchImport extends Construct {
  readonly job: GlueJob;
  readonly role: ServiceRole;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly assets: GlueJobAssets;
      readonly artifacts: S3Bucket;
      readonly imports: S3Bucket;
      readonly staging: S3Bucket;
      readonly catalog: Catalog;
      readonly lakeLoader: TributaryFunction;
    },
  ) {
    super(scope, id);
    const { ctx, artifacts, imports, staging } = props;
    const upload = (uid: string, key: string, path: string, type: AssetType) => {
      const asset = new TerraformAsset(this, `${uid}-asset`, { path, type });
      return new S3Object(this, uid, {
        bucket: artifacts.id,
        key: `${S3_PREFIXES.glueScripts}${key}`,
        source: asset.path,
        sourceHash: asset.assetHash,
        kmsKeyId: ctx.keyArn,
      });
    };
    const script = upload('script', 'crm_import.py', props.assets.script, AssetType.FILE);
    const modules = upload(
      'python-modules',
      'tributary_glue.zip',
      props.assets.pythonModulesDir,
      AssetType.ARCHIVE,
    );
    const mapping = upload('mapping', 'mappings/crm-default.json', props.assets.mapping, AssetType.FILE);
    const s3 = (key: string) => `s3://${artifacts.bucket}/${S3_PREFIXES.glueScripts}${key}`;
    const logGroups = ctx.arn('logs', 'log-group:/aws-glue/*');
    this.role = new ServiceRole(this, 'role', {
      name: `${ctx.names.glueCrmImportJob}-glue`,
      service: 'glue.amazonaws.com',
      statements: [
        allow('ReadJobArtifacts', ['s3:GetObject'], [`${artifacts.arn}/${S3_PREFIXES.glueScripts}*`]),
        allow('ListInputsAndArtifacts', ['s3:ListBucket'], [imports.arn, staging.arn, artifacts.arn]),
        allow('ReadCrmExports', ['s3:GetObject'], [`${imports.arn}/${S3_PREFIXES.crmExports}*`]),
        allow(
          'WriteStagedEventsRejectsAndTemp',
          ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          [
            `${staging.arn}/${S3_PREFIXES.crmStaged}*`,
            `${staging.arn}/${S3_PREFIXES.crmRejects}*`,
            `${staging.arn}/${S3_PREFIXES.glueTemp}*`,
          ],
        ),
        allow('UseEnvironmentKey', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [ctx.keyArn]),
        allow(
          'WriteEncryptedJobLogs',
          ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
          [logGroups, `${logGroups}:*`],
        ),
        {
          Sid: 'PublishGlueJobMetrics',
          Effect: 'Allow',
          Action: ['cloudwatch:PutMetricData'],
          Resource: ['*'],
          Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
        },
      ],
    });
    this.job = new GlueJob(this, 'crm-import', {
      name: ctx.names.glueCrmImportJob,
      description: 'CRM CSV export → canonical identify events (JSON lines) in the staging bucket',
      roleArn: this.role.role.arn,
      glueVersion: GLUE_VERSION,
      workerType: 'G.1X',
      numberOfWorkers: 2,
      timeout: 60,
      maxRetries: 1,
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: props.catalog.securityConfiguration.name,
      command: { name: 'glueetl', scriptLocation: s3('crm_import.py'), pythonVersion: '3' },
      defaultArguments: {
        '--job-language': 'python',
        '--job-bookmark-option': 'job-bookmark-enable',
        '--enable-metrics': 'true',
        '--enable-continuous-cloudwatch-log': 'true',
        '--extra-py-files': s3('tributary_glue.zip'),
        '--additional-python-modules': props.assets.additionalPythonModules.join(','),
        '--mapping_path': s3('mappings/crm-default.json'),
        '--TempDir': `s3://${staging.bucket}/${S3_PREFIXES.glueTemp}`,
      },
      dependsOn: [this.role.policy, script, modules, mapping],
    });

    const permission = new LambdaPermission(this, 'lake-loader-s3-invoke', {
      statementId: 'AllowStagingBucketInvoke',
      action: 'lambda:InvokeFunction',
      functionName: props.lakeLoader.fn.functionName,
      principal: 's3.amazonaws.com',
      sourceArn: staging.arn,
      sourceAccount: ctx.accountId,
    });
    new S3BucketNotification(this, 'staged-import-notification', {
      bucket: staging.id,
      lambdaFunction: [
        {
          lambdaFunctionArn: props.lakeLoader.fn.arn,
          events: ['s3:ObjectCreated:*'],
          filterPrefix: S3_PREFIXES.crmStaged,
          // Spark's text writer names parts part-*.txt; _SUCCESS and temporary files do not match.
          filterSuffix: '.txt',
        },
      ],
      dependsOn: [permission],
    });
  }
}
