import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FunctionName } from '../../../contracts/aws-resources';
import { redactingReplacer } from './redact';

const fallbackLogger = new Logger({ serviceName: 'tributary', jsonReplacerFn: redactingReplacer });

/**
 * The answer of an HTTP function that could not start (missing setting, unreadable secret): a 503 the
 * client may retry, never a bare 5xx from the runtime. The cause is logged, redacted.
 */
export function unavailableResponse(fn: FunctionName, error: unknown): APIGatewayProxyStructuredResultV2 {
  fallbackLogger.error(`${fn} could not start`, { error: error as Error });
  return {
    statusCode: 503,
    headers: { 'content-type': 'application/json', 'retry-after': '5' },
    body: JSON.stringify({
      error: 'unavailable',
      message: `the ${fn} is not configured yet; retry later`,
      retryAfterSeconds: 5,
    }),
  };
}
