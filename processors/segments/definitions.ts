import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { SegmentDefinitionFile } from '../../contracts/segment-definition';
import { issuesFromZod, type ValidationIssue } from '../../contracts/validation-issue';
import defaultFile from './default-segments.json';

/** Definitions read from a file or a value, or every reason they were refused (with its path). */
export type SegmentDefinitionsResult =
  | { readonly ok: true; readonly value: SegmentDefinitionFile }
  | { readonly ok: false; readonly reason: string; readonly issues: readonly ValidationIssue[] };

/** Validates a parsed definitions document (`{ "segments": [...] }`). */
export function parseSegmentDefinitions(input: unknown): SegmentDefinitionsResult {
  const parsed = SegmentDefinitionFile.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = issuesFromZod(parsed.error);
  return {
    ok: false,
    reason: `invalid segment definitions: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    issues,
  };
}

/** Reads and validates a definitions file (`.json`, or `.yaml` / `.yml`); never throws. */
export async function loadSegmentDefinitionsFile(path: string): Promise<SegmentDefinitionsResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, reason: `cannot read segment definitions ${path}: ${code}`, issues: [] };
  }
  let document: unknown;
  try {
    document = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: `segment definitions ${path} are not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${message}`,
      issues: [],
    };
  }
  const result = parseSegmentDefinitions(document);
  return result.ok ? result : { ...result, reason: `${path}: ${result.reason}` };
}

function loadDefaults(): SegmentDefinitionFile {
  const result = parseSegmentDefinitions(defaultFile);
  if (!result.ok) throw new Error(`the shipped default-segments.json is invalid: ${result.reason}`);
  return result.value;
}

/** The segments Tributary ships with (`default-segments.json`): the design notes' three, and two more. */
export const DEFAULT_SEGMENT_DEFINITIONS = loadDefaults().segments;
