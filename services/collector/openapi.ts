import { contractJsonSchemas, type JsonSchema } from '../../contracts/json-schema';
import type { CollectorConfig } from './collector-config';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function json(schema: object, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

function ingestOperation(summary: string, body: object, limit: number) {
  return {
    post: {
      summary,
      tags: ['ingest'],
      requestBody: {
        required: true,
        description: `JSON (\`application/json\`, or \`text/plain\` as analytics.js beacons send), optionally gzip- or deflate-encoded; at most ${limit} bytes.`,
        content: { 'application/json': { schema: body }, 'text/plain': { schema: body } },
      },
      responses: {
        '200': json(
          ref('IngestResponse'),
          'At least one event accepted and durably appended; the rest are listed',
        ),
        '400': json(
          { oneOf: [ref('IngestResponse'), ref('ErrorResponse')] },
          'No valid event (`no_valid_events`), or the body is not usable JSON (see the README catalogue)',
        ),
        '401': json(ref('ErrorResponse'), 'Missing or unknown write key'),
        '413': json(ref('ErrorResponse'), 'Body over the size limit'),
        '415': json(ref('ErrorResponse'), 'Unsupported Content-Type or Content-Encoding'),
        '503': json(
          ref('ErrorResponse'),
          'The event log could not confirm the append: nothing was kept, retry later',
        ),
      },
    },
  };
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** The collector's OpenAPI 3.1 document, its schemas generated from the zod contracts. */
export function buildOpenApiDocument(config: Pick<CollectorConfig, 'maxEventBytes' | 'maxBatchBytes'>) {
  const schemas = Object.fromEntries(
    Object.entries(contractJsonSchemas('#/components/schemas/')).map(([name, s]) => [name, strip(s)]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tributary collector',
      version: '0.1.0',
      description:
        'Segment-compatible HTTP Tracking API. Authenticate with the write key as HTTP Basic user name ' +
        '(what Segment and RudderStack SDKs do) or in an `X-Write-Key` header.',
    },
    components: {
      schemas,
      securitySchemes: {
        writeKeyBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'Write key as user name, empty password',
        },
        writeKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Write-Key' },
      },
    },
    security: [{ writeKeyBasic: [] }, { writeKeyHeader: [] }],
    paths: {
      '/v1/batch': ingestOperation('A batch of Segment calls', ref('SegmentBatch'), config.maxBatchBytes),
      '/v1/identify': ingestOperation('Identify', ref('SegmentIdentifyCall'), config.maxEventBytes),
      '/v1/track': ingestOperation('Track', ref('SegmentTrackCall'), config.maxEventBytes),
      '/v1/page': ingestOperation('Page', ref('SegmentPageCall'), config.maxEventBytes),
      '/v1/screen': ingestOperation('Screen', ref('SegmentScreenCall'), config.maxEventBytes),
      '/v1/group': ingestOperation('Group', ref('SegmentGroupCall'), config.maxEventBytes),
      '/v1/alias': ingestOperation('Alias', ref('SegmentAliasCall'), config.maxEventBytes),
      '/v1/events': ingestOperation('Seed unified events', ref('SeedEvents'), config.maxBatchBytes),
      '/healthz': {
        get: {
          summary: 'Liveness',
          security: [],
          responses: { '200': { description: 'The collector is up' } },
        },
      },
    },
  };
}
