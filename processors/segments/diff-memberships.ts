import type { SegmentChange } from '../../contracts/profile';
import type { SegmentMemberships } from './segment-evaluator';

/**
 * The `segment_exited` / `segment_entered` changes from `before` to `after`, stamped `timestamp`
 * (epoch ms or ISO): exits first, each list in membership order. With no `before` every membership
 * of `after` is an entry; when the profile ids differ (a merge), all of `before` exits under its id.
 */
export function diffMemberships(
  before: SegmentMemberships | undefined,
  after: SegmentMemberships,
  timestamp: number | string,
): SegmentChange[] {
  const at = typeof timestamp === 'number' ? new Date(timestamp).toISOString() : timestamp;
  const sameProfile = before !== undefined && before.profileId === after.profileId;
  const previous = new Set(sameProfile ? before.segmentIds : []);
  const next = new Set(after.segmentIds);
  const changes: SegmentChange[] = [];
  if (before !== undefined) {
    for (const segmentId of new Set(before.segmentIds)) {
      if (sameProfile && next.has(segmentId)) continue;
      changes.push({
        segmentId,
        profileId: before.profileId,
        source: 'realtime',
        change: 'exited',
        timestamp: at,
      });
    }
  }
  for (const segmentId of next) {
    if (previous.has(segmentId)) continue;
    changes.push({
      segmentId,
      profileId: after.profileId,
      source: 'realtime',
      change: 'entered',
      timestamp: at,
    });
  }
  return changes;
}
