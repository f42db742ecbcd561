import { z } from 'zod';
import { ImportMapping } from './import-mapping';

/**
 * The JSON Schema (draft 2020-12) of a mapping file, generated from `ImportMapping`; the Glue job
 * validates mappings with it (glue-jobs/tributary_glue/import_mapping.schema.json, kept equal by a test).
 */
export function importMappingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ImportMapping, { io: 'input' }) as Record<string, unknown>;
}
