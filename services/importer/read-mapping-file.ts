import { readFile } from 'node:fs/promises';
import { type ImportMapping, ImportMappingError, parseImportMapping } from '../../contracts/import-mapping';

/** Reads and validates a mapping JSON file. */
export async function readMappingFile(
  path: string,
): Promise<{ ok: true; value: ImportMapping } | { ok: false; error: ImportMappingError }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: new ImportMappingError([{ path: '', message: `cannot read ${path}: ${message}` }], {
        cause: error,
      }),
    };
  }
  return parseImportMapping(raw);
}
