/**
 * The profile job (decode → validate → dedupe → identity → key by profile → aggregate → segments →
 * sinks) as a factory with explicit dependencies; see processors/README.md for how runtimes drive it.
 */
export { type DecodedRecord, decodeRecord, type PipelineInput } from './pipeline/decode-event';
export { type FlushSummary, isStale, PipelineWriteError } from './pipeline/flush-profiles';
export { PipelineConfig, type PipelineConfigInput } from './pipeline/pipeline-config';
export {
  createProfilePipeline,
  type LateEvent,
  type PipelineCheckpoint,
  type PipelineStats,
  PROFILES_UID,
  type ProfilePipeline,
  type ProfilePipelineDeps,
  type RejectedRecord,
  type ResolvedRecord,
} from './pipeline/profile-pipeline';
export type { SegmentRules } from './pipeline/segment-rules';
