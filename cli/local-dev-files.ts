import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RUNTIME_FILE } from '../runtime/local/create-local-runtime';

/** What a local `cdp dev` left in its data folder: its URL (while running) and its keys. */
export interface LocalDevFiles {
  readonly url?: string;
  readonly readKey?: string;
  readonly writeKey?: string;
}

function readJson(path: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Reads `<dataDir>/runtime.json` (the URL of a running `cdp dev`) and `<dataDir>/keys.json` (the keys it
 * generated); anything missing or unreadable is left out, never an error.
 */
export function readLocalDevFiles(dataDir: string): LocalDevFiles {
  const root = resolve(dataDir);
  const runtime = readJson(join(root, RUNTIME_FILE));
  const keys = readJson(join(root, 'keys.json'));
  const writeKeys = keys.writeKeys;
  const firstWriteKey =
    writeKeys !== null && typeof writeKeys === 'object' ? Object.keys(writeKeys as object)[0] : undefined;
  return {
    ...(typeof runtime.url === 'string' ? { url: runtime.url } : {}),
    ...(typeof keys.readKey === 'string' ? { readKey: keys.readKey } : {}),
    ...(firstWriteKey ? { writeKey: firstWriteKey } : {}),
  };
}
