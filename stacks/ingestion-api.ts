import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../contracts/aws-resources';
import type { StackContext } from './context';
import type { TributaryFunction } from './lambda-function';

/**
 * Access log line: request id, caller, route, status, latency and integration error. No headers, no
 * query string and no body, so neither write keys nor PII reach the logs.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
});

/** The write-key and read-key secrets (values are put out of band, see stacks/README.md). */
export class ApiKeys extends Construct {
  readonly writeKeys: SecretsmanagerSecret;
  readonly readKeys: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, ctx: StackContext) {
    super(scope, id);
    this.writeKeys = new SecretsmanagerSecret(this, 'write-keys', {
      name: ctx.names.writeKeysSecret,
      description: 'Collector write keys: JSON {"<writeKey>": {"source": "<source name>"}}',
      kmsKeyId: ctx.keyArn,
      recoveryWindowInDays: 7,
    });
    this.readKeys = new SecretsmanagerSecret(this, 'read-keys', {
      name: ctx.names.readKeysSecret,
      description: 'Profile API read keys: JSON {"<readKey>": {"name": "<consumer>"}}',
      kmsKeyId: ctx.keyArn,
      recoveryWindowInDays: 7,
    });
  }
}

/**
 * The public HTTP API: the collector's Segment routes and the Profile API's routes (from the function
 * catalogue), default-route throttling, JSON access logs in a KMS-encrypted log group, optional CORS.
 */
export class IngestionApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly collector: TributaryFunction;
      readonly profileApi: TributaryFunction;
    },
  ) {
    super(scope, id);
    const { ctx } = props;
    const cors = ctx.config.api.corsAllowOrigins;
    this.api = new Apigatewayv2Api(this, 'api', {
      name: ctx.names.httpApi,
      protocolType: 'HTTP',
      description: 'Tributary collector (Segment-compatible) and Profile API',
      ...(cors.length > 0
        ? {
            corsConfiguration: {
              allowOrigins: cors,
              allowMethods: ['GET', 'POST', 'OPTIONS'],
              allowHeaders: ['authorization', 'content-type', 'content-encoding'],
              maxAge: 600,
            },
          }
        : {}),
    });
    const accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${ctx.names.httpApi}`,
      retentionInDays: ctx.config.logRetentionDays,
      kmsKeyId: ctx.keyArn,
    });
    this.stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: ctx.config.api.throttlingRateLimit,
        throttlingBurstLimit: ctx.config.api.throttlingBurstLimit,
        detailedMetricsEnabled: true,
      },
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
    });
    for (const [fnId, target] of [
      ['collector', props.collector],
      ['profile-api', props.profileApi],
    ] as const) {
      const integration = new Apigatewayv2Integration(this, `${fnId}-integration`, {
        apiId: this.api.id,
        integrationType: 'AWS_PROXY',
        integrationUri: target.fn.arn,
        payloadFormatVersion: '2.0',
        timeoutMilliseconds: 29_000,
      });
      for (const routeKey of FUNCTIONS[fnId].routes ?? []) {
        new Apigatewayv2Route(this, `route-${routeKey.replace(/[^A-Za-z0-9]+/g, '-')}`, {
          apiId: this.api.id,
          routeKey,
          target: `integrations/${integration.id}`,
        });
      }
      new LambdaPermission(this, `${fnId}-invoke`, {
        statementId: 'AllowHttpApiInvoke',
        action: 'lambda:InvokeFunction',
        functionName: target.fn.functionName,
        principal: 'apigateway.amazonaws.com',
        sourceArn: `${this.api.executionArn}/*/*`,
      });
    }
  }
}
