import type { ProfileDocument } from '../../../contracts/profile';

/** A valid `ProfileDocument` for tests, with `overrides` applied. */
export function profileDocument(
  profileId: string,
  overrides: Partial<ProfileDocument> = {},
): ProfileDocument {
  return {
    profileId,
    version: 1,
    traits: {},
    traitTimes: {},
    firstSeen: '2026-01-01T10:00:00.000Z',
    lastSeen: '2026-01-01T10:00:00.000Z',
    totalEvents: 0,
    totalPageViews: 0,
    totalPurchases: 0,
    lifetimeValue: 0,
    eventCounts: {},
    daily: [],
    sessions: { count: 0, totalDurationMs: 0 },
    mergedFrom: [],
    appliedSequences: {},
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}
