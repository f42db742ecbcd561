import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import type { ErrorResponse } from '../../contracts/ingest-response';
import type { ProfileServingReads, ProfileStore } from '../../contracts/ports/profile-store';
import type { SegmentStore } from '../../contracts/ports/segment-store';
import { issuesFromZod, type ValidationIssue } from '../../contracts/validation-issue';
import { IdentityConfig, type IdentityStore, type ProfileMerge } from '../../processors/identity';
import {
  type EventsPage,
  type IdentitiesResponse,
  IdParam,
  LookupQuery,
  type LookupResponse,
  type MembersPage,
  pageQuery,
  type SegmentList,
} from './api-schemas';
import { type ProfileIdSettings, profileIdentities } from './identity-provenance';
import { lookupIdentifier } from './lookup-identifier';
import { buildProfileApiDocument } from './openapi';
import { createPageCursors } from './page-cursor';
import type { ProfileApiConfig } from './profile-api-config';
import { buildProfileView, profileViewBody } from './profile-view';
import { createReadKeyGuard } from './read-key-auth';
import { resolveProfile } from './resolve-profile';

/** What the Profile API reads from. */
export interface ProfileApiDeps {
  readonly profiles: ProfileStore;
  readonly segments: SegmentStore;
  readonly identities: IdentityStore;
  /** Wall clock in ms since the epoch: "now" of the time-relative figures (default `Date.now`). */
  readonly clock?: () => number;
  /** How the resolver names profiles, to tell each profile's anchor identifier (default: its defaults). */
  readonly profileIds?: ProfileIdSettings;
  /**
   * Zero-copy reads of the same profile store, when it has them (the embedded store): `GET
   * /v1/profiles/:id` then reads the stored document without copying it, takes the timeline as JSON text
   * and writes its answer into one Buffer; lookups peek for the live id. Without them every read goes
   * through `profiles`.
   */
  readonly servingReads?: ProfileServingReads;
}

/** Options of the Profile API plugin: its parsed configuration and its dependencies. */
export interface ProfileApiPluginOptions {
  readonly config: ProfileApiConfig;
  readonly deps: ProfileApiDeps;
}

/** Where the Profile API's OpenAPI document is served (the collector's is at `/openapi.json`). */
export const PROFILE_API_OPENAPI_PATH = '/profile-api/openapi.json';

/** A request refused with a 4xx: its status and body. */
class ApiRefusal extends Error {
  override readonly name = 'ApiRefusal';
  constructor(
    readonly statusCode: number,
    readonly body: ErrorResponse,
  ) {
    super(body.message);
  }
}

function mergeView(merge: ProfileMerge): IdentitiesResponse['merges'][number] {
  return {
    into: merge.into,
    from: [...merge.from],
    cause: { ...merge.cause, identifiers: [...merge.cause.identifiers] },
  };
}

function invalid(errors: ValidationIssue[]): ApiRefusal {
  const message = errors.map((e) => `${e.path || '(request)'}: ${e.message}`).join('; ');
  return new ApiRefusal(400, { error: 'invalid_parameter', message, errors });
}

function notFound(message: string): ApiRefusal {
  return new ApiRefusal(404, { error: 'not_found', message });
}

function parse<T>(schema: z.ZodType<T>, input: unknown, prefix: string): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw invalid(
    issuesFromZod(parsed.error).map((i) => ({
      path: i.path ? `${prefix}.${i.path}` : prefix,
      message: i.message,
    })),
  );
}

/**
 * The Profile API as a Fastify plugin: `GET /v1/profiles/:id`, `/v1/profiles/lookup`,
 * `/v1/profiles/:id/identities`, `/v1/profiles/:id/events`, `/v1/segments`, `/v1/segments/:id/members`,
 * the OpenAPI document at `/profile-api/openapi.json` and Swagger UI at `/profile-api/docs`.
 * Every route but the document needs `Authorization: Bearer <read key>`.
 */
export const profileApiPlugin: FastifyPluginAsync<ProfileApiPluginOptions> = async (
  app,
  { config, deps },
) => {
  const clock = deps.clock ?? Date.now;
  const profileIds = deps.profileIds ?? IdentityConfig.parse({});
  const cursors = createPageCursors(config.readKey);
  const PageQuery = pageQuery(config.defaultPageSize, config.maxPageSize);
  const document = buildProfileApiDocument(config);
  const { profiles, segments, identities } = deps;

  if (config.docs) {
    await app.register(swagger, { mode: 'static', specification: { document: document as never } });
    await app.register(swaggerUi, { routePrefix: '/profile-api/docs' });
  }
  app.get(PROFILE_API_OPENAPI_PATH, async () => document);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiRefusal) return reply.code(error.statusCode).send(error.body);
    const e = error as { statusCode?: unknown; message?: unknown };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send({
        error: 'bad_request',
        message: typeof e.message === 'string' ? e.message : 'bad request',
      });
    }
    request.log.error({ err: error }, 'unexpected Profile API error');
    return reply.code(500).send({ error: 'internal_error', message: 'unexpected error; it was logged' });
  });

  /** Read-key check of every route registered after it (the document above stays public). */
  const authenticate = createReadKeyGuard(config.readKey);
  const guarded = { onRequest: authenticate };

  async function liveProfile(id: string) {
    const found = await resolveProfile(id, { profiles, identities });
    if (!found.ok) throw notFound(`no profile ${id}`);
    return found;
  }

  function openCursor(scope: string, cursor: string | undefined): string | undefined {
    if (cursor === undefined) return undefined;
    const opened = cursors.open(scope, cursor);
    if (!opened.ok) {
      throw invalid([{ path: 'query.cursor', message: 'is not a cursor this API handed out for this list' }]);
    }
    return opened.value;
  }

  app.get('/v1/profiles/lookup', guarded, async (request, reply) => {
    const query = parse(LookupQuery, request.query, 'query');
    const lookup = lookupIdentifier(query.type, query.value, config.defaultPhoneCountry);
    if (!lookup.ok) throw invalid([{ ...lookup.issue, path: `query.${lookup.issue.path}` }]);
    const [mapping] = await identities.getMappings([lookup.identifier]);
    // only the live profile's id is needed: a zero-copy peek when the store has it
    const own = mapping && deps.servingReads?.peek(mapping.profileId);
    const found = own
      ? { ok: true as const, document: own }
      : mapping && (await resolveProfile(mapping.profileId, { profiles, identities }));
    if (!found?.ok) throw notFound(`no profile has this ${lookup.identifier.type}`);
    const profileId = found.document.profileId;
    const path = request.url.split('?')[0]!;
    const location = `${path.slice(0, path.length - '/lookup'.length)}/${encodeURIComponent(profileId)}`;
    const body: LookupResponse = { profileId, location };
    return reply.code(302).header('location', location).send(body);
  });

  /** `GET /v1/profiles/:id` through the port: copies of the stored data, serialized by Fastify. */
  async function copiedProfileView(id: string) {
    const found = await liveProfile(id);
    const profileId = found.document.profileId;
    const [identifiers, memberships, activity] = await Promise.all([
      identities.listProfileIdentifiers(profileId),
      segments.getMemberships(profileId),
      config.recentActivityLimit === 0
        ? { items: [] }
        : profiles.listActivity(profileId, { limit: config.recentActivityLimit }),
    ]);
    return buildProfileView(
      {
        document: found.document,
        identifiers,
        segments: memberships,
        recentActivity: activity.items,
        ...(found.mergedFrom === undefined ? {} : { mergedFrom: found.mergedFrom }),
      },
      clock(),
    );
  }

  app.get('/v1/profiles/:id', guarded, async (request, reply) => {
    const { id } = parse(IdParam, request.params, 'params');
    const { servingReads } = deps;
    if (servingReads === undefined) return copiedProfileView(id);
    // the stored document itself (a merged-away id takes the port's way to its survivor)
    const own = servingReads.peek(id);
    const found = own === undefined ? await liveProfile(id) : { document: own, mergedFrom: undefined };
    const profileId = found.document.profileId;
    const [identifiers, memberships] = await Promise.all([
      identities.listProfileIdentifiers(profileId),
      segments.getMemberships(profileId),
    ]);
    const body = profileViewBody(
      {
        document: found.document,
        identifiers,
        segments: memberships,
        recentActivityJson: servingReads.recentActivityJson(profileId, config.recentActivityLimit),
        ...(found.mergedFrom === undefined ? {} : { mergedFrom: found.mergedFrom }),
      },
      clock(),
    );
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get('/v1/profiles/:id/identities', guarded, async (request) => {
    const { id } = parse(IdParam, request.params, 'params');
    const found = await liveProfile(id);
    const profileId = found.document.profileId;
    const result = await profileIdentities(profileId, identities, profileIds);
    const body: IdentitiesResponse = {
      profileId,
      ...(found.mergedFrom === undefined ? {} : { mergedFrom: found.mergedFrom }),
      identities: result.identities.map(({ identifier, anchor, joinedBy, merge }) => ({
        identifier,
        anchor,
        ...(joinedBy ? { joinedBy: { ...joinedBy } } : {}),
        ...(merge ? { merge: mergeView(merge) } : {}),
      })),
      merges: result.merges.map(mergeView),
    };
    return body;
  });

  app.get('/v1/profiles/:id/events', guarded, async (request) => {
    const { id } = parse(IdParam, request.params, 'params');
    const { limit, cursor } = parse(PageQuery, request.query, 'query');
    const found = await liveProfile(id);
    const profileId = found.document.profileId;
    const scope = `events\u0000${profileId}`;
    const storeCursor = openCursor(scope, cursor);
    const page = await profiles.listActivity(profileId, {
      limit,
      ...(storeCursor === undefined ? {} : { cursor: storeCursor }),
    });
    const body: EventsPage = {
      profileId,
      ...(found.mergedFrom === undefined ? {} : { mergedFrom: found.mergedFrom }),
      items: [...page.items],
      ...(page.nextCursor === undefined ? {} : { nextCursor: cursors.seal(scope, page.nextCursor) }),
    };
    return body;
  });

  app.get('/v1/segments', guarded, async () => {
    const list = await segments.listSegments();
    const body: SegmentList = {
      segments: [...list]
        .sort((a, b) => (a.segmentId < b.segmentId ? -1 : a.segmentId > b.segmentId ? 1 : 0))
        .map((s) => ({
          segmentId: s.segmentId,
          source: s.source,
          ...(s.description === undefined ? {} : { description: s.description }),
          memberCount: s.memberCount,
        })),
    };
    return body;
  });

  app.get('/v1/segments/:id/members', guarded, async (request) => {
    const { id } = parse(IdParam, request.params, 'params');
    const { limit, cursor } = parse(PageQuery, request.query, 'query');
    const scope = `members\u0000${id}`;
    const storeCursor = openCursor(scope, cursor);
    const [list, page] = await Promise.all([
      segments.listSegments(),
      segments.listMembers(id, { limit, ...(storeCursor === undefined ? {} : { cursor: storeCursor }) }),
    ]);
    const segment = list.find((s) => s.segmentId === id);
    if (!segment && page.items.length === 0 && storeCursor === undefined) throw notFound(`no segment ${id}`);
    const body: MembersPage = {
      segmentId: id,
      ...(segment ? { source: segment.source } : {}),
      items: [...page.items],
      ...(page.nextCursor === undefined ? {} : { nextCursor: cursors.seal(scope, page.nextCursor) }),
    };
    return body;
  });
};
