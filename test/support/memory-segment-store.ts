import type { MembershipWrite, SegmentStore, SegmentSummary } from '../../contracts/ports/segment-store';
import type { SegmentMembership, SegmentSource } from '../../contracts/profile';

/** An in-memory {@link SegmentStore} (a fake of our own port, for unit and sync tests). */
export function createMemorySegmentStore(): SegmentStore & { applyCalls: number } {
  const segments = new Map<string, { source: SegmentSource; description?: string }>();
  const members = new Map<string, Map<string, SegmentMembership>>();
  const store = {
    applyCalls: 0,
    async defineSegment(s: { segmentId: string; source: SegmentSource; description?: string }) {
      segments.set(s.segmentId, {
        source: s.source,
        ...(s.description ? { description: s.description } : {}),
      });
    },
    async listSegments(): Promise<SegmentSummary[]> {
      return [...segments].map(([segmentId, s]) => ({
        segmentId,
        ...s,
        memberCount: members.get(segmentId)?.size ?? 0,
      }));
    },
    async listMembers(segmentId: string, options: { limit: number; cursor?: string }) {
      const all = [...(members.get(segmentId)?.values() ?? [])].sort((a, b) =>
        a.profileId.localeCompare(b.profileId),
      );
      const start = options.cursor ? Number(options.cursor) : 0;
      const items = all.slice(start, start + options.limit);
      const next = start + options.limit < all.length ? String(start + options.limit) : undefined;
      return next === undefined ? { items } : { items, nextCursor: next };
    },
    async getMemberships(profileId: string) {
      return [...members.values()].flatMap((m) =>
        m.has(profileId) ? [m.get(profileId) as SegmentMembership] : [],
      );
    },
    async apply(writes: readonly MembershipWrite[]) {
      store.applyCalls++;
      for (const w of writes) {
        if (w.kind === 'add') {
          const m = members.get(w.membership.segmentId) ?? new Map<string, SegmentMembership>();
          m.set(w.membership.profileId, w.membership);
          members.set(w.membership.segmentId, m);
        } else {
          members.get(w.segmentId)?.delete(w.profileId);
        }
      }
    },
  };
  return store;
}
