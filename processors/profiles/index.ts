/** Profile aggregation: mergeable accumulators and the serving document (see README.md). */
export {
  type AccumulatorInput,
  addEvent,
  compareSequences,
  createAccumulator,
  type DayBucket,
  LATE_FOR_DAILY,
  LATE_FOR_SESSIONS,
  mergeAccumulators,
  mergeRecent,
  type ProfileAccumulator,
} from './accumulator';
export {
  accumulatorInput,
  createAccumulatorInput,
  fillAccumulatorInput,
  type MutableAccumulatorInput,
} from './accumulator-input';
export { createEventClassifier, type EventClassifier, EventKind } from './classify-event';
export { expireState } from './expire-state';
export { ProfileConfig, type ProfileConfigInput, ProfileEventMapping } from './profile-config';
export {
  type DocumentMeta,
  fromDocument,
  mergeProfiles,
  toDocument,
  toSlicesDocument,
} from './profile-document';
export { sortStrings } from './sort-strings';
