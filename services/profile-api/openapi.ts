import { type JsonSchema, jsonSchemasOf } from '../../contracts/json-schema';
import { PROFILE_API_SCHEMAS } from './api-schemas';

const ref = (name: keyof typeof PROFILE_API_SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });

function json(schema: object, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const unauthorized = json(ref('ErrorResponse'), 'Missing or wrong read key (`unauthorized`)');
const badRequest = json(ref('ErrorResponse'), 'A bad parameter (`invalid_parameter`), with `errors[].path`');
const notFound = json(ref('ErrorResponse'), 'No such profile or segment (`not_found`)');

const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: what,
  schema: { type: 'string', minLength: 1, maxLength: 256 },
});

const pageParams = (maxPageSize: number, defaultPageSize: number) => [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: maxPageSize, default: defaultPageSize },
  },
  {
    name: 'cursor',
    in: 'query',
    description: 'The `nextCursor` of the previous page',
    schema: { type: 'string' },
  },
];

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** The Profile API's OpenAPI 3.1 document, its schemas generated from the zod contracts. */
export function buildProfileApiDocument(config: { maxPageSize: number; defaultPageSize: number }) {
  const schemas = Object.fromEntries(
    Object.entries(jsonSchemasOf(PROFILE_API_SCHEMAS, '#/components/schemas/')).map(([name, s]) => [
      name,
      strip(s),
    ]),
  );
  const page = pageParams(config.maxPageSize, config.defaultPageSize);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tributary Profile API',
      version: '0.1.0',
      description:
        'Customer profiles, their identities and timelines, and segment memberships. Authenticate with the ' +
        'read key: `Authorization: Bearer <read key>`.',
    },
    components: {
      schemas,
      securitySchemes: { readKey: { type: 'http', scheme: 'bearer', description: 'The read key' } },
    },
    security: [{ readKey: [] }],
    paths: {
      '/v1/profiles/lookup': {
        get: {
          summary: 'Find a profile by one of its identifiers',
          tags: ['profiles'],
          parameters: [
            {
              name: 'type',
              in: 'query',
              required: true,
              description: '`email`, `user_id`, `anonymous_id`, `phone` or a custom type such as `crm_id`',
              schema: { type: 'string' },
            },
            {
              name: 'value',
              in: 'query',
              required: true,
              description: 'Normalized as on ingest: e-mail lower-cased, phone to E.164',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '302': {
              description: 'Found: `Location` is `/v1/profiles/{id}`',
              headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: ref('LookupResponse') } },
            },
            '400': badRequest,
            '401': unauthorized,
            '404': json(ref('ErrorResponse'), 'No profile has this identifier'),
          },
        },
      },
      '/v1/profiles/{id}': {
        get: {
          summary: 'A profile with its segments and recent activity',
          description:
            'A merged-away id answers with the surviving profile and `mergedFrom` set to the id asked.',
          tags: ['profiles'],
          parameters: [idParam('Profile id (a merged-away id works too)')],
          responses: {
            '200': json(ref('ProfileView'), 'The profile'),
            '400': badRequest,
            '401': unauthorized,
            '404': notFound,
          },
        },
      },
      '/v1/profiles/{id}/identities': {
        get: {
          summary: "A profile's identifiers, each with the link and merge that brought it in",
          tags: ['profiles'],
          parameters: [idParam('Profile id')],
          responses: {
            '200': json(ref('IdentitiesResponse'), 'The identities'),
            '400': badRequest,
            '401': unauthorized,
            '404': notFound,
          },
        },
      },
      '/v1/profiles/{id}/events': {
        get: {
          summary: "A profile's timeline, newest first",
          tags: ['profiles'],
          parameters: [idParam('Profile id'), ...page],
          responses: {
            '200': json(ref('EventsPage'), 'One page of events'),
            '400': badRequest,
            '401': unauthorized,
            '404': notFound,
          },
        },
      },
      '/v1/segments': {
        get: {
          summary: 'Every segment, real-time and SQL, with its source and member count',
          tags: ['segments'],
          responses: { '200': json(ref('SegmentList'), 'The segments'), '401': unauthorized },
        },
      },
      '/v1/segments/{id}/members': {
        get: {
          summary: "A segment's members",
          tags: ['segments'],
          parameters: [idParam('Segment id'), ...page],
          responses: {
            '200': json(ref('MembersPage'), 'One page of members'),
            '400': badRequest,
            '401': unauthorized,
            '404': notFound,
          },
        },
      },
    },
  };
}
