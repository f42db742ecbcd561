import type { LakeWriter } from '../../contracts/ports/lake-writer';
import { segmentChangeRow } from '../../processors/pipeline/lake-rows';
import type { IdentifiedSegmentChange } from './segment-sync';

/**
 * Emits SQL segment changes as `segment_changes` lake rows (origin `refresh`, the same row shape as the
 * stream processors' plus `change_id`), flushed before the sync marks the batch done. A batch re-sent
 * after a crash carries the same `change_id`s, which is how readers drop the repeat.
 */
export function createLakeSegmentChangeEmitter(
  lake: LakeWriter,
): (changes: readonly IdentifiedSegmentChange[]) => Promise<void> {
  return async (changes) => {
    await lake.write(
      changes.map(({ changeId, change }) => {
        const record = segmentChangeRow(change);
        return { ...record, row: { ...record.row, origin: 'refresh', change_id: changeId } };
      }),
    );
    await lake.flush();
  };
}
