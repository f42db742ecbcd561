import type { ActivityItem, ProfileDocument } from '../../contracts/profile';

/**
 * What the pipeline needs of the real-time segment evaluator (`processors/segments`'
 * `createSegmentEvaluator` gives it): memberships at a moment, and the next moment they can change
 * with time alone.
 */
export interface SegmentRules {
  readonly definitions: readonly { readonly id: string; readonly description?: string | undefined }[];
  /**
   * False when no rule reads the recent activity: the flush then does not merge the slices' timelines
   * for it (and passes an empty one). Absent: the rules may read it.
   */
  readonly readsActivity?: boolean;
  evaluate(
    document: ProfileDocument,
    activity: readonly ActivityItem[],
    nowMs: number,
  ): { readonly segmentIds: readonly string[] };
  nextChangeAt(
    document: ProfileDocument,
    activity: readonly ActivityItem[],
    nowMs: number,
  ): number | undefined;
}
