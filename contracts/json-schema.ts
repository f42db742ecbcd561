import { z } from 'zod';
import { CanonicalEvent } from './canonical-event';
import { ErrorResponse, IngestResponse } from './ingest-response';
import { SeedEvent, SeedEvents } from './seed-event';
import {
  SEGMENT_SINGLE_CALL_SCHEMAS,
  SegmentAlias,
  SegmentBatch,
  SegmentEvent,
  SegmentGroup,
  SegmentIdentify,
  SegmentPage,
  SegmentScreen,
  SegmentTrack,
} from './segment-event';

/** The contract schemas published as JSON Schema, by name. */
export const PUBLISHED_SCHEMAS = {
  SegmentIdentify,
  SegmentTrack,
  SegmentPage,
  SegmentScreen,
  SegmentGroup,
  SegmentAlias,
  SegmentEvent,
  SegmentBatch,
  SegmentIdentifyCall: SEGMENT_SINGLE_CALL_SCHEMAS.identify,
  SegmentTrackCall: SEGMENT_SINGLE_CALL_SCHEMAS.track,
  SegmentPageCall: SEGMENT_SINGLE_CALL_SCHEMAS.page,
  SegmentScreenCall: SEGMENT_SINGLE_CALL_SCHEMAS.screen,
  SegmentGroupCall: SEGMENT_SINGLE_CALL_SCHEMAS.group,
  SegmentAliasCall: SEGMENT_SINGLE_CALL_SCHEMAS.alias,
  SeedEvent,
  SeedEvents,
  CanonicalEvent,
  IngestResponse,
  ErrorResponse,
} as const;

/** Name of a published contract schema. */
export type PublishedSchemaName = keyof typeof PUBLISHED_SCHEMAS;

/** A JSON Schema object (draft 2020-12, what OpenAPI 3.1 uses). */
export type JsonSchema = Record<string, unknown>;

/**
 * JSON Schema (draft 2020-12) of named zod schemas, generated in one registry so that they refer to
 * each other through `$ref`s made by `refPrefix` + name (OpenAPI: `#/components/schemas/`).
 */
export function jsonSchemasOf<Name extends string>(
  schemas: Readonly<Record<Name, z.ZodType>>,
  refPrefix = '#/$defs/',
): Record<Name, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries<z.ZodType>(schemas)) registry.add(schema, { id: name });
  const out = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `${refPrefix}${id}`,
  });
  return out.schemas as Record<Name, JsonSchema>;
}

/**
 * JSON Schema (draft 2020-12) of every published contract, generated from the zod schemas; schemas
 * refer to each other through `$ref`s made by `refPrefix` + name (OpenAPI: `#/components/schemas/`).
 */
export function contractJsonSchemas(refPrefix = '#/$defs/'): Record<PublishedSchemaName, JsonSchema> {
  return jsonSchemasOf(PUBLISHED_SCHEMAS, refPrefix);
}
