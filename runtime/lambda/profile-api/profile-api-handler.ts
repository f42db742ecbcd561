import awsLambdaFastify from '@fastify/aws-lambda';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  createProfileApi,
  type ProfileApiConfigInput,
  type ProfileApiDeps,
} from '../../../services/profile-api';
import type { HttpApiHandler } from '../collector/collector-handler';
import { MetricUnit, type Observability } from '../shared/observability';

/**
 * The Profile API as an HTTP API Lambda handler: the same Fastify routes as the local one
 * (`services/profile-api`), over the stores it is given (DynamoDB in the entry file).
 */
export function createProfileApiHandler(
  config: ProfileApiConfigInput,
  deps: ProfileApiDeps & Observability,
): HttpApiHandler {
  const { logger, metrics, ...stores } = deps;
  const app = createProfileApi({ docs: false, ...config }, stores);
  const proxy = awsLambdaFastify<APIGatewayProxyEventV2>(app, { callbackWaitsForEmptyEventLoop: false });
  const ready = app.ready();
  return async (event, context) => {
    await ready;
    const response = await proxy(event, context);
    const status = response.statusCode;
    metrics.addMetric(
      status < 400 ? 'ProfileApiOk' : status < 500 ? 'ProfileApi4xx' : 'ProfileApi5xx',
      MetricUnit.Count,
      1,
    );
    if (status >= 500) logger.error('Profile API answered a server error', { status, route: event.routeKey });
    metrics.publishStoredMetrics();
    return response;
  };
}
