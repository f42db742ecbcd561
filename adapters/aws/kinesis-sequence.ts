/**
 * Kinesis sequence numbers are decimal strings that grow within a shard; they can be longer than a
 * JavaScript number holds and are not always the same length, so they compare by length, then text.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether the record at `sequenceNumber` of `shardId` was already applied to a state that records its
 * last applied sequence number per shard (`ProfileDocument.appliedSequences`): a redelivered record
 * must then have no second effect.
 */
export function isAlreadyApplied(
  appliedSequences: Readonly<Record<string, string>>,
  shardId: string,
  sequenceNumber: string,
): boolean {
  const last = appliedSequences[shardId];
  return last !== undefined && compareSequenceNumbers(sequenceNumber, last) <= 0;
}

/** `appliedSequences` with `shardId` moved forward to `sequenceNumber` (never backwards). */
export function withAppliedSequence(
  appliedSequences: Readonly<Record<string, string>>,
  shardId: string,
  sequenceNumber: string,
): Record<string, string> {
  return isAlreadyApplied(appliedSequences, shardId, sequenceNumber)
    ? { ...appliedSequences }
    : { ...appliedSequences, [shardId]: sequenceNumber };
}
