import type { SegmentDefinition } from '../../contracts/segment-definition';
import {
  createSegmentEvaluator,
  DEFAULT_SEGMENT_DEFINITIONS,
  loadSegmentDefinitionsFile,
  SegmentDefinitionError,
} from '../../processors/segments';
import type { ConfigProblem, LocalRuntimeConfig } from './config';

/** The real-time segments a runtime evaluates, or why the configured file cannot be used. */
export type RuntimeSegments =
  | { readonly ok: true; readonly definitions: readonly SegmentDefinition[]; readonly from: string }
  | { readonly ok: false; readonly problem: ConfigProblem };

/**
 * Reads `segmentsFile` (validated, then compiled once so that a rule the evaluator refuses stops the
 * start too); without it, the shipped defaults.
 */
export async function loadRuntimeSegments(config: LocalRuntimeConfig): Promise<RuntimeSegments> {
  if (config.segmentsFile === undefined) {
    return { ok: true, definitions: DEFAULT_SEGMENT_DEFINITIONS, from: 'the shipped defaults' };
  }
  const setting = 'segmentsFile (CDP_SEGMENTS_FILE, --segments)';
  const loaded = await loadSegmentDefinitionsFile(config.segmentsFile);
  if (!loaded.ok) return { ok: false, problem: { setting, message: loaded.reason } };
  try {
    createSegmentEvaluator(loaded.value.segments);
  } catch (error: unknown) {
    if (!(error instanceof SegmentDefinitionError)) throw error;
    return { ok: false, problem: { setting, message: `${config.segmentsFile}: ${error.message}` } };
  }
  return { ok: true, definitions: loaded.value.segments, from: config.segmentsFile };
}
