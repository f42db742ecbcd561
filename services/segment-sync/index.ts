/**
 * SQL segments back to serving: `refreshSegments` (lake → models → sync) for `cdp segments refresh`
 * and the Lambda, `scheduleSegmentRefresh` for the embedded runtime's in-process schedule.
 */
export { createLakeSegmentChangeEmitter } from './lake-change-emitter';
export {
  refreshSegments,
  type ScheduledRefresh,
  type SegmentRefreshConfig,
  type SegmentRefreshDeps,
  type SegmentRefreshResult,
  scheduleSegmentRefresh,
} from './segment-refresh';
export {
  createSegmentSync,
  type IdentifiedSegmentChange,
  previewSegmentSync,
  type SegmentSync,
  SegmentSyncConfig,
  type SyncProgress,
  type SyncSummary,
} from './segment-sync';
export { type SqlSegmentDefinition, sqlSegmentsOfProject } from './sql-segments';
