import type { Page, ProfileStore } from '../../../contracts/ports/profile-store';
import type { SegmentStore, SegmentSummary } from '../../../contracts/ports/segment-store';
import type {
  ActivityItem,
  ProfileDocument,
  SegmentMembership,
  SegmentSource,
} from '../../../contracts/profile';

/**
 * Small in-memory fakes of our `ProfileStore` and `SegmentStore` ports for the Profile API's tests
 * (the pipeline's memory stores live in adapters/local). Cursors are the last key of a page.
 */
export function createFakeProfileStore(): ProfileStore & { put(document: ProfileDocument): void } {
  const documents = new Map<string, ProfileDocument>();
  const activity = new Map<string, Map<string, ActivityItem>>();
  const keyOf = (item: ActivityItem) => `${item.timestamp}#${item.eventId}`;
  return {
    put(document) {
      documents.set(document.profileId, document);
    },
    async get(profileId) {
      return documents.get(profileId);
    },
    async getMany(ids) {
      return ids.map((id) => documents.get(id));
    },
    async write(writes) {
      for (const w of writes) {
        const current = documents.get(w.kind === 'put' ? w.document.profileId : w.profileId);
        const expected = w.expectedVersion;
        if (expected === null ? current !== undefined : current?.version !== expected) {
          return { ok: false, reason: 'conflict', profileId: current?.profileId ?? '' };
        }
      }
      for (const w of writes) {
        if (w.kind === 'put') documents.set(w.document.profileId, w.document);
        else documents.delete(w.profileId);
      }
      return { ok: true };
    },
    async appendActivity(profileId, items) {
      const timeline = activity.get(profileId) ?? new Map<string, ActivityItem>();
      for (const item of items) if (!timeline.has(keyOf(item))) timeline.set(keyOf(item), item);
      activity.set(profileId, timeline);
    },
    async listActivity(profileId, { limit, cursor }): Promise<Page<ActivityItem>> {
      const keys = [...(activity.get(profileId)?.keys() ?? [])].sort().reverse();
      const start = cursor === undefined ? 0 : keys.findIndex((k) => k < cursor);
      if (start < 0) return { items: [] };
      const page = keys.slice(start, start + limit);
      const items = page.map((k) => activity.get(profileId)!.get(k)!);
      const last = page[page.length - 1];
      return start + limit < keys.length && last !== undefined ? { items, nextCursor: last } : { items };
    },
    async moveActivity(from, into) {
      const moved = activity.get(from);
      activity.delete(from);
      if (moved) await this.appendActivity(into, [...moved.values()], 0);
    },
  };
}

/** A fake `SegmentStore`: memberships kept both ways, members paged by profile id. */
export function createFakeSegmentStore(): SegmentStore {
  const segments = new Map<string, { source: SegmentSource; description?: string }>();
  const members = new Map<string, Map<string, SegmentMembership>>();
  return {
    async defineSegment({ segmentId, source, description }) {
      segments.set(segmentId, { source, description });
    },
    async listSegments(): Promise<readonly SegmentSummary[]> {
      return [...segments.entries()].map(([segmentId, s]) => ({
        segmentId,
        source: s.source,
        ...(s.description === undefined ? {} : { description: s.description }),
        memberCount: members.get(segmentId)?.size ?? 0,
      }));
    },
    async listMembers(segmentId, { limit, cursor }) {
      const all = [...(members.get(segmentId)?.values() ?? [])].sort((a, b) =>
        a.profileId < b.profileId ? -1 : 1,
      );
      const rest = cursor === undefined ? all : all.filter((m) => m.profileId > cursor);
      const items = rest.slice(0, limit);
      return rest.length > limit ? { items, nextCursor: items[items.length - 1]!.profileId } : { items };
    },
    async getMemberships(profileId) {
      const out: SegmentMembership[] = [];
      for (const bySegment of members.values()) {
        const m = bySegment.get(profileId);
        if (m) out.push(m);
      }
      return out;
    },
    async apply(writes) {
      for (const w of writes) {
        if (w.kind === 'add') {
          const bySegment = members.get(w.membership.segmentId) ?? new Map<string, SegmentMembership>();
          if (!bySegment.has(w.membership.profileId)) bySegment.set(w.membership.profileId, w.membership);
          members.set(w.membership.segmentId, bySegment);
        } else members.get(w.segmentId)?.delete(w.profileId);
      }
    },
  };
}
