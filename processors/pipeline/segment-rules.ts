import type { ActivityItem, ProfileDocument } from '../../contracts/profile';

/**
 * What the pipeline needs of the real-time segment evaluator (`processors/segments`'
 * `createSegmentEvaluator` gives it): memberships at a moment, and the next moment they can change
 * with time alone.
 */
export interface SegmentRules {
  readonly definitions: readonly { readonly id: string; readonly description?: string | undefined }[];
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
