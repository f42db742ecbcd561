import type { Identifier } from '../../contracts/identifier';

/** Why two identifiers were linked: they came in the same event, or an `alias` call joined them. */
export type LinkRule = 'same-event' | 'alias';

/** What the greedy, time-ordered pass decided for one link. */
export type LinkStatus =
  /** joined two profiles */
  | 'merged'
  /** both identifiers were already in one profile */
  | 'within'
  /** joining would exceed a per-type limit (e.g. two `user_id`s): recorded, never merged */
  | 'blocked-by-limit'
  /** an operator unmerged this pair */
  | 'severed';

/** One recorded link between two identifiers (the earliest event that linked them). */
export interface IdentityLink {
  readonly from: Identifier;
  readonly to: Identifier;
  readonly eventId: string;
  /** Event time, ISO-8601. */
  readonly timestamp: string;
  readonly rule: LinkRule;
  readonly status: LinkStatus;
}

/** Why a merge happened. `late-event-replay`: an earlier event arrived late and history was replayed. */
export interface MergeCause {
  readonly eventId: string;
  readonly timestamp: string;
  /** The identifiers whose link joined the profiles. */
  readonly identifiers: readonly Identifier[];
  readonly rule: LinkRule | 'late-event-replay' | 'unmerge-replay' | 'profile-id-change';
}

/** Profiles `from` no longer exist: their identifiers (and so their state) now belong to `into`. */
export interface ProfileMerge {
  readonly into: string;
  readonly from: readonly string[];
  readonly cause: MergeCause;
}

/** One identifier moved from one live profile to another (only after late events or an unmerge). */
export interface IdentifierReassignment {
  readonly identifier: Identifier;
  readonly from: string;
  readonly to: string;
  readonly cause: MergeCause;
}

/** Profile `from` no longer exists and its identifiers went to several profiles (`into`). */
export interface ProfileSplit {
  readonly from: string;
  readonly into: readonly string[];
  readonly cause: MergeCause;
}

/** Everything that changed in the graph's profiles; the pipeline moves state accordingly. */
export interface IdentityChanges {
  readonly merges: readonly ProfileMerge[];
  readonly reassignments: readonly IdentifierReassignment[];
  readonly splits: readonly ProfileSplit[];
}

/** Why an identifier of an event was not used. */
export interface RejectedIdentifier {
  readonly type: string;
  /** The raw value is not echoed (it may be PII); only its length. */
  readonly valueLength: number;
  /**
   * `too-many-identifiers`: beyond `maxIdentifiersPerEvent`; `too-many-types`: a new custom type when
   * `maxIdentifierTypes` types are already known.
   */
  readonly reason: 'blocked-value' | 'blocked-email' | 'invalid' | 'too-many-identifiers' | 'too-many-types';
}

/** A resolved event: its profile, its usable identifiers and what changed. */
export interface ResolvedIdentity extends IdentityChanges {
  /** The profile of the event's primary identifier. */
  readonly profileId: string;
  readonly identifiers: readonly Identifier[];
  /**
   * The event's strongest identifier (highest priority, then type name, then value): the event
   * belongs to its profile, and its links start from it. A function of the event alone.
   */
  readonly primaryIdentifier: Identifier;
  readonly rejected: readonly RejectedIdentifier[];
  /**
   * Identifiers of this event left outside its profile: the recorded link of each such pair (its
   * earliest event, which may be an earlier one) and why it did not merge (limit or unmerge).
   */
  readonly blockedLinks: readonly IdentityLink[];
}

/** Outcome of `resolve`: `no-identifier` when every identifier was missing or blocked. */
export type Resolution =
  | { readonly ok: true; readonly value: ResolvedIdentity }
  | {
      readonly ok: false;
      readonly reason: 'no-identifier' | 'invalid-timestamp';
      readonly rejected: readonly RejectedIdentifier[];
    };

/** A profile as the graph sees it. */
export interface IdentityProfile {
  readonly profileId: string;
  /** The identifier the id derives from (highest priority, earliest seen, smallest value). */
  readonly anchor: Identifier;
  readonly identifiers: readonly Identifier[];
}

/** Why identifier X belongs to profile P: the chain of links from X to P's anchor. */
export interface Explanation {
  readonly identifier: Identifier;
  readonly profileId: string;
  readonly anchor: Identifier;
  /** Links from `identifier` to `anchor`, in path order (empty when X is the anchor). */
  readonly chain: readonly IdentityLink[];
  /** Links touching X that did not merge, and why. */
  readonly notMerged: readonly IdentityLink[];
}

/**
 * What to cut: the link between two identifiers, or every link of one identifier (detach it). A cut
 * is permanent: later events that link the same pair are recorded as `severed` and never merge.
 */
export type UnmergeRequest =
  | { readonly kind: 'link'; readonly a: Identifier; readonly b: Identifier }
  | { readonly kind: 'identifier'; readonly identifier: Identifier };

/** Result of an unmerge: the profiles that now hold the identifiers involved, and the changes. */
export interface UnmergeResult extends IdentityChanges {
  readonly severedLinks: number;
  readonly profiles: readonly IdentityProfile[];
}

/** Outcome of `unmerge`. */
export type Unmerge =
  | { readonly ok: true; readonly value: UnmergeResult }
  | { readonly ok: false; readonly reason: 'unknown-identifier' | 'no-such-link'; readonly message: string };
