import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FunctionName } from '../../../contracts/aws-resources';
import { redactingReplacer } from './redact';

/** CloudWatch namespace of every function's EMF metrics. */
export const METRICS_NAMESPACE = 'Tributary';

/** A function's logger and metrics (Powertools: structured JSON logs, EMF metrics). */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Logger and metrics of one function. Logs are JSON lines with personal data and secrets redacted
 * (`redactingReplacer`); metrics are EMF documents in namespace `Tributary`, dimension `environment`.
 */
export function createObservability(fn: FunctionName, environment: string): Observability {
  const logger = new Logger({
    serviceName: `tributary-${fn}`,
    jsonReplacerFn: redactingReplacer,
    persistentKeys: { environment },
  });
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: `tributary-${fn}`,
    defaultDimensions: { environment },
  });
  return { logger, metrics };
}

export { MetricUnit };
