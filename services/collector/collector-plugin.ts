import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  preParsingHookHandler,
  RequestPayload,
} from 'fastify';
import type { CallType } from '../../contracts/canonical-event';
import { newEventId } from '../../contracts/event-id';
import type { IngestResponse } from '../../contracts/ingest-response';
import { formatIsoTime } from '../../contracts/iso-time';
import type { IngestContext } from '../../contracts/normalize-result';
import type { EventLog } from '../../contracts/ports/event-log';
import { SeedEventsEnvelope } from '../../contracts/seed-event';
import { SegmentBatchEnvelope } from '../../contracts/segment-event';
import { issuesFromZod } from '../../contracts/validation-issue';
import type { CollectorConfig } from './collector-config';
import { createCors } from './cors';
import { decompressBody } from './decompress-body';
import { errorReplyFor } from './error-response';
import { IngestHttpError } from './http-error';
import { type EventFormat, planIngest } from './ingest';
import { type JsonBody, parseJsonBody } from './json-body';
import { nestsDeeperThan } from './json-shape';
import { buildOpenApiDocument } from './openapi';
import { createWriteKeyResolver } from './write-key-auth';

/** What the collector needs from the outside. */
export interface CollectorDeps {
  /** Where accepted events go; the collector answers only once `append` resolved. */
  readonly eventLog: EventLog;
  /** Server clock in ms since the epoch (default `Date.now`). */
  readonly clock?: () => number;
  /** Makes ids for events sent without `messageId` / `eventId` (default UUIDv7). */
  readonly newEventId?: (nowMs: number) => string;
}

/** Options of the collector plugin: its parsed configuration and its dependencies. */
export interface CollectorPluginOptions {
  readonly config: CollectorConfig;
  readonly deps: CollectorDeps;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Source of the request's write key, set by the collector's authentication. */
    tributarySource: string;
  }
}

const JSON_CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'];

const SINGLE_CALLS: readonly CallType[] = ['identify', 'track', 'page', 'screen', 'group', 'alias'];

/** What a request body holds: its events and how to read them, or why it is unusable. */
type Unpacked =
  | { ok: true; items: readonly unknown[]; format: EventFormat; depthOffset: number }
  | { ok: false; error: IngestHttpError; errors?: { path: string; message: string }[] };

function invalidBody(message: string, errors?: { path: string; message: string }[]): Unpacked {
  return { ok: false, error: new IngestHttpError(400, 'invalid_body', message), errors };
}

function unpackBatch(json: unknown, maxEventDepth: number): Unpacked {
  const envelope = SegmentBatchEnvelope.safeParse(json);
  if (!envelope.success) {
    return invalidBody(
      'the body must be an object with a "batch" array of Segment calls',
      issuesFromZod(envelope.error),
    );
  }
  const { batch, sentAt, context, integrations } = envelope.data;
  // batch-level context and integrations are merged into every event: they obey the event limits too
  for (const [path, value] of [
    ['context', context],
    ['integrations', integrations],
  ] as const) {
    if (nestsDeeperThan(value, maxEventDepth - 1)) {
      return invalidBody(`the batch ${path} nests deeper than an event may`, [
        { path, message: `nests objects/arrays deeper than ${maxEventDepth - 1} levels` },
      ]);
    }
  }
  return {
    ok: true,
    items: batch,
    format: { kind: 'segment', batch: { sentAt, context, integrations } },
    depthOffset: 2,
  };
}

function unpackSeed(json: unknown): Unpacked {
  const envelope = SeedEventsEnvelope.safeParse(json);
  if (!envelope.success) {
    return invalidBody(
      'the body must be an object with an "events" array of events',
      issuesFromZod(envelope.error),
    );
  }
  return { ok: true, items: envelope.data.events, format: { kind: 'seed' }, depthOffset: 2 };
}

/**
 * The Segment-compatible collector as a Fastify plugin: `/v1/batch`, `/v1/{identify,track,page,screen,
 * group,alias}`, `/v1/events` (seed format), `/healthz`, `/openapi.json` and Swagger UI at `/docs`.
 */
export const collectorPlugin: FastifyPluginAsync<CollectorPluginOptions> = async (app, { config, deps }) => {
  const clock = deps.clock ?? Date.now;
  const makeId = deps.newEventId ?? newEventId;
  const writeKeys = createWriteKeyResolver(config.writeKeys);
  const limits = { maxEventBytes: config.maxEventBytes, maxEventDepth: config.maxEventDepth };
  const document = buildOpenApiDocument(config);

  const cors = createCors(config.corsOrigins);
  if (config.docs) {
    // static mode: the document is generated from the zod contracts, not from route schemas
    await app.register(swagger, {
      mode: 'static',
      specification: { document: document as never },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  app.decorateRequest('tributarySource', '');
  app.removeAllContentTypeParsers();
  // text/plain: analytics.js beacons; x-www-form-urlencoded: what RudderStack's Node SDK (axios) labels its
  // gzipped JSON with. All three must hold JSON.
  app.addContentTypeParser(JSON_CONTENT_TYPES, { parseAs: 'buffer' }, (_request, body, done) => {
    const parsed = parseJsonBody(body as Buffer);
    if (parsed.ok) done(null, parsed.value);
    else done(parsed.error, undefined);
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReplyFor(error, request.routeOptions.bodyLimit ?? config.maxBatchBytes);
    if (status >= 500) request.log.error({ err: error }, 'unexpected collector error');
    else
      request.log.info(
        { error: body.error, source: request.tributarySource || undefined },
        'request refused',
      );
    return reply.code(status).send(body);
  });

  const authenticate: onRequestHookHandler = (request, reply, done) => {
    cors.decorate(request, reply);
    const { key, source } = writeKeys.sourceOf(request.headers);
    if (source === undefined) {
      reply.code(401).send({
        error: 'unauthorized',
        message: key
          ? 'unknown write key'
          : 'missing write key: send it as the HTTP Basic user name, or in an X-Write-Key header',
      });
      return;
    }
    request.tributarySource = source;
    done();
  };

  const decompress: preParsingHookHandler = (request, _reply, payload, done) => {
    const decoded = decompressBody(request.headers['content-encoding'], payload);
    if (decoded.ok) done(null, decoded.value as RequestPayload);
    else done(decoded.error);
  };

  const routeOptions = (bodyLimit: number) => ({
    bodyLimit,
    onRequest: authenticate,
    preParsing: decompress,
  });

  async function ingest(request: FastifyRequest, reply: FastifyReply, unpack: (json: unknown) => Unpacked) {
    const body = request.body as JsonBody | undefined;
    if (body === undefined)
      throw new IngestHttpError(400, 'empty_body', 'the request body is empty; send a JSON object');
    const unpacked = unpack(body.json);
    if (!unpacked.ok) {
      const { error, errors } = unpacked;
      return reply.code(error.statusCode).send({ error: error.errorCode, message: error.message, errors });
    }
    const now = clock();
    const ctx: IngestContext = {
      source: request.tributarySource,
      receivedAtMs: now,
      receivedAt: formatIsoTime(now),
      defaultPhoneCountry: config.defaultPhoneCountry as IngestContext['defaultPhoneCountry'],
      newEventId: makeId,
    };
    const plan = planIngest(unpacked.items, unpacked.format, ctx, limits, body.shape, unpacked.depthOffset);
    const { response } = plan;
    if (response.rejected.length > 0) {
      request.log.info(
        { source: ctx.source, accepted: response.accepted, rejected: response.rejected.length },
        'events rejected',
      );
    }
    if (plan.records.length === 0) {
      const noneValid: IngestResponse = {
        ...response,
        error: 'no_valid_events',
        message:
          unpacked.items.length === 0 ? 'there are no events in the body' : 'no event in the body is valid',
      };
      return reply.code(400).send(noneValid);
    }
    try {
      await deps.eventLog.append(plan.records);
    } catch (cause: unknown) {
      request.log.warn(
        { err: cause, source: ctx.source, events: plan.records.length },
        'event log append failed',
      );
      return reply.code(503).header('retry-after', String(config.retryAfterSeconds)).send({
        error: 'log_unavailable',
        message: 'the event log could not confirm the append; nothing was accepted, retry later',
        retryAfterSeconds: config.retryAfterSeconds,
      });
    }
    return reply.code(200).send(response);
  }

  const singleUnpacker =
    (callType: CallType) =>
    (json: unknown): Unpacked => ({
      ok: true,
      items: [json],
      format: { kind: 'segment', callType },
      depthOffset: 0,
    });

  const unpackSegmentBatch = (json: unknown) => unpackBatch(json, config.maxEventDepth);
  app.post('/v1/batch', routeOptions(config.maxBatchBytes), (request, reply) =>
    ingest(request, reply, unpackSegmentBatch),
  );
  app.post('/v1/events', routeOptions(config.maxBatchBytes), (request, reply) =>
    ingest(request, reply, unpackSeed),
  );
  for (const callType of SINGLE_CALLS) {
    const unpack = singleUnpacker(callType);
    app.post(`/v1/${callType}`, routeOptions(config.maxEventBytes), (request, reply) =>
      ingest(request, reply, unpack),
    );
  }

  app.options('/v1/*', (request, reply) => cors.preflight(request, reply));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/openapi.json', async () => document);
};
