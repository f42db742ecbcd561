import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName } from '../contracts/aws-resources';
import type { StackContext } from './context';
import { allow, type PolicyStatement, ServiceRole } from './iam';
import { LAMBDA_RUNTIME, type LambdaBundle } from './lambda-bundles';

/**
 * X-Ray's write actions do not support resource-level permissions: AWS documents `Resource: *` for
 * them. This is the only unscoped statement a function role carries (allow-listed in the IAM test).
 */
export const XRAY_WRITE_STATEMENT: PolicyStatement = {
  Sid: 'XRayWriteHasNoResourceLevelPermissions',
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: ['*'],
};

/**
 * One Lambda function of the catalogue: its bundle zipped as a Terraform asset, its own role (the given
 * statements plus writing to its own KMS-encrypted log group and X-Ray), JSON logs, active tracing,
 * arm64, environment variables naming the resources it uses.
 */
export class TributaryFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly name: FunctionName;
      readonly bundle: LambdaBundle;
      readonly statements: readonly PolicyStatement[];
      readonly environment: Readonly<Record<string, string>>;
    },
  ) {
    super(scope, id);
    const { ctx, name } = props;
    const def = FUNCTIONS[name];
    const functionName = ctx.names.functions[name];
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: ctx.config.logRetentionDays,
      kmsKeyId: ctx.keyArn,
    });
    this.role = new ServiceRole(this, 'role', {
      name: `${functionName}-fn`,
      service: 'lambda.amazonaws.com',
      statements: [
        allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${this.logGroup.arn}:*`]),
        XRAY_WRITE_STATEMENT,
        ...props.statements,
      ],
    });
    const asset = new TerraformAsset(this, 'bundle', {
      path: props.bundle.directory,
      type: AssetType.ARCHIVE,
    });
    this.fn = new LambdaFunction(this, 'function', {
      functionName,
      description: def.description,
      role: this.role.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: props.bundle.sha256,
      memorySize: def.memoryMb,
      timeout: def.timeoutSeconds,
      kmsKeyArn: ctx.keyArn,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      environment: {
        variables: { ...props.environment },
      },
      dependsOn: [this.logGroup],
    });
  }
}
