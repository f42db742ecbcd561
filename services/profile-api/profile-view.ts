import type { Identifier } from '../../contracts/identifier';
import type { ActivityItem, ProfileDocument, ProfileView, SegmentMembership } from '../../contracts/profile';
import { profileFigures } from '../../contracts/profile-figures';

/** What a `ProfileView` is made of, all read for the same live profile. */
export interface ProfileViewParts {
  readonly document: ProfileDocument;
  readonly identifiers: readonly Identifier[];
  readonly segments: readonly SegmentMembership[];
  readonly recentActivity: readonly ActivityItem[];
  /** The id asked for, when it was merged into `document.profileId`. */
  readonly mergedFrom?: string;
}

/** The answer of `GET /v1/profiles/:id`: stored counters plus the figures relative to `nowMs`. */
export function buildProfileView(parts: ProfileViewParts, nowMs: number): ProfileView {
  const view: ProfileView = {
    profile: profileOf(parts.document, parts.identifiers, nowMs),
    segments: sortedSegments(parts.segments),
    recentActivity: [...parts.recentActivity],
  };
  return parts.mergedFrom === undefined ? view : { ...view, mergedFrom: parts.mergedFrom };
}

function profileOf(
  d: ProfileDocument,
  identifiers: readonly Identifier[],
  nowMs: number,
): ProfileView['profile'] {
  const figures = profileFigures(d, nowMs);
  return {
    profileId: d.profileId,
    traits: d.traits,
    identifiers: [...identifiers].sort(compareIdentifiers),
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    totalEvents: d.totalEvents,
    totalPageViews: d.totalPageViews,
    totalPurchases: d.totalPurchases,
    lifetimeValue: d.lifetimeValue,
    eventCounts: d.eventCounts,
    ...(d.lastPage ? { lastPage: d.lastPage } : {}),
    ...(d.signup ? { signup: d.signup } : {}),
    daysSinceLastVisit: figures.daysSinceLastVisit,
    last7Days: figures.last7Days,
    last30Days: figures.last30Days,
    last90Days: figures.last90Days,
    today: figures.today,
    sessions: figures.sessions,
    updatedAt: d.updatedAt,
  };
}

const sortedSegments = (segments: readonly SegmentMembership[]) =>
  [...segments].sort((a, b) => (a.segmentId < b.segmentId ? -1 : 1));

/**
 * The UTF-8 JSON of {@link buildProfileView}'s answer (the bytes of `JSON.stringify` of it), with the
 * timeline given as JSON array text already: a store's serialized entries are spliced in, not parsed
 * and serialized again. Written piece by piece into one buffer (outside the JS heap), so the pieces are
 * never concatenated into a string that Node would then copy again to send it.
 */
export function profileViewBody(
  parts: Omit<ProfileViewParts, 'recentActivity'> & { readonly recentActivityJson: string | Uint8Array },
  nowMs: number,
): Buffer {
  const head = JSON.stringify({
    profile: profileOf(parts.document, parts.identifiers, nowMs),
    segments: sortedSegments(parts.segments),
  });
  // the head's closing brace is overwritten by what follows
  const pieces = [
    ',"recentActivity":',
    parts.recentActivityJson,
    ...(parts.mergedFrom === undefined ? [] : [',"mergedFrom":', JSON.stringify(parts.mergedFrom)]),
    '}',
  ];
  let size = Buffer.byteLength(head) - 1;
  for (const piece of pieces) size += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
  const body = Buffer.allocUnsafe(size);
  let at = body.write(head, 0) - 1;
  for (const piece of pieces) {
    if (typeof piece === 'string') at += body.write(piece, at);
    else {
      body.set(piece, at);
      at += piece.length;
    }
  }
  return body;
}

/** Identifiers in a stable order: by type, then value. */
export function compareIdentifiers(a: Identifier, b: Identifier): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
