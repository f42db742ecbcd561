import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { CollectorConfig, CollectorConfigError, type CollectorConfigInput } from './collector-config';
import { createCollectorLogger } from './collector-logger';
import { type CollectorDeps, collectorPlugin } from './collector-plugin';

/** The collector's dependencies when it runs as its own app. */
export interface CollectorAppDeps extends CollectorDeps {
  /** Where log lines go (default stdout). */
  readonly logDestination?: DestinationStream;
}

/**
 * Creates the collector as a Fastify app, not yet listening (`app.listen({ port })`, or
 * `app.inject(...)`). Throws `CollectorConfigError` when the configuration is invalid.
 */
export function createCollector(input: CollectorConfigInput, deps: CollectorAppDeps): FastifyInstance {
  const parsed = CollectorConfig.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`)
      .join('; ');
    throw new CollectorConfigError(`invalid collector configuration: ${detail}`, { cause: parsed.error });
  }
  const config = parsed.data;
  const app = Fastify({
    loggerInstance: createCollectorLogger(config.logLevel, deps.logDestination),
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    // without request logging, requests log through the app's logger: no child logger per request
    ...(config.logRequests ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }),
    bodyLimit: config.maxBatchBytes,
    return503OnClosing: true,
  });
  app.register(collectorPlugin, { config, deps });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
  return app as unknown as FastifyInstance;
}
