/** Segment's limit for one event (and for the body of a single-call endpoint): 32 KB. */
export const SEGMENT_MAX_EVENT_BYTES = 32 * 1024;

/** Segment's limit for the body of a `/v1/batch` call: 500 KB. */
export const SEGMENT_MAX_BATCH_BYTES = 500 * 1024;

/**
 * Deepest nesting of objects/arrays inside one event (the event object itself is level 1). DynamoDB,
 * where profiles are served from, stores at most 32 levels; deeper events are refused at the door.
 */
export const MAX_EVENT_DEPTH = 32;

/** Longest identifier value (user id, anonymous id, custom id) Tributary keys profiles by. */
export const MAX_ID_LENGTH = 1024;
