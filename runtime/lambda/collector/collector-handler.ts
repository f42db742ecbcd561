import awsLambdaFastify from '@fastify/aws-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { EventLog } from '../../../contracts/ports/event-log';
import { type CollectorConfigInput, createCollector } from '../../../services/collector';
import { MetricUnit, type Observability } from '../shared/observability';

/** An API Gateway HTTP API (payload v2) handler. */
export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** What the collector handler needs: the same collector code as the server, and where it appends. */
export interface CollectorHandlerDeps extends Observability {
  readonly eventLog: EventLog;
  readonly clock?: () => number;
}

/**
 * The collector as an HTTP API Lambda handler: the API Gateway v2 event is replayed into the same
 * Fastify collector the server runs (`services/collector`), which answers only once Kinesis took the
 * events. Request lines are not logged here (API Gateway's access log has them).
 */
export function createCollectorHandler(
  config: CollectorConfigInput,
  deps: CollectorHandlerDeps,
): HttpApiHandler {
  const app = createCollector(
    { docs: false, ...config, logRequests: false },
    { eventLog: deps.eventLog, ...(deps.clock ? { clock: deps.clock } : {}) },
  );
  const proxy = awsLambdaFastify<APIGatewayProxyEventV2>(app, { callbackWaitsForEmptyEventLoop: false });
  const ready = app.ready();
  return async (event, context) => {
    await ready;
    const response = await proxy(event, context);
    const { metrics, logger } = deps;
    const status = response.statusCode;
    metrics.addMetric(
      status < 400 ? 'CollectorOk' : status < 500 ? 'Collector4xx' : 'Collector5xx',
      MetricUnit.Count,
      1,
    );
    if (status < 300) {
      const accepted = acceptedCount(response.body);
      if (accepted !== undefined) metrics.addMetric('EventsAccepted', MetricUnit.Count, accepted);
    }
    if (status >= 500) logger.error('collector answered a server error', { status, route: event.routeKey });
    metrics.publishStoredMetrics();
    return response;
  };
}

function acceptedCount(body: string | undefined): number | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed = JSON.parse(body) as { accepted?: unknown };
    return typeof parsed.accepted === 'number' ? parsed.accepted : undefined;
  } catch {
    return undefined;
  }
}
