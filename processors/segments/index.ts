export { compileComparison } from './compare';
export { type CompiledRule, compileRule } from './compile-rule';
export { defineRealtimeSegments } from './define-segments';
export {
  DEFAULT_SEGMENT_DEFINITIONS,
  loadSegmentDefinitionsFile,
  parseSegmentDefinitions,
  type SegmentDefinitionsResult,
} from './definitions';
export { diffMemberships } from './diff-memberships';
export {
  createSegmentEvaluator,
  SegmentDefinitionError,
  type SegmentEvaluator,
  type SegmentEvaluatorOptions,
  type SegmentMemberships,
} from './segment-evaluator';
