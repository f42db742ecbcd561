import type { Page } from '../../contracts/ports/profile-store';
import type { SegmentStore, SegmentSummary } from '../../contracts/ports/segment-store';
import type { SegmentMembership, SegmentSource } from '../../contracts/profile';

interface Definition {
  source: SegmentSource;
  description?: string;
}

const cursorOf = (profileId: string) => Buffer.from(profileId).toString('base64url');
const profileOf = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** The first index of `sorted` whose value is greater than `after`. */
function firstAfter(sorted: readonly string[], after: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The in-memory segment store, with synchronous reads for checkpoints (no await per profile). */
export interface MemorySegmentStore extends SegmentStore {
  /**
   * The profile's memberships as stored (not copies: the store never changes a stored membership, it
   * replaces or removes it), by segment id; empty when it has none. Callers must not change them.
   */
  peekMemberships(profileId: string): SegmentMembership[];
  /** {@link SegmentStore.listSegments}, synchronously. */
  peekSegments(): SegmentSummary[];
}

/**
 * Creates a {@link SegmentStore} in memory, memberships indexed both ways. Adding a membership that
 * exists keeps the stored one (its `enteredAt`); removing one that does not exist does nothing.
 * Members are listed by profile id. Sized for a million SQL memberships: one index, by segment; a
 * profile's memberships are one lookup per segment (segments are few, profiles many: a second index by
 * profile was half of a big sync's time and most of its garbage). A segment's sorted member ids are
 * kept between pages until the segment changes.
 */
export function createMemorySegmentStore(): MemorySegmentStore {
  const definitions = new Map<string, Definition>();
  const bySegment = new Map<string, Map<string, SegmentMembership>>();
  const sortedMembers = new Map<string, string[]>();

  function membersOf(segmentId: string): Map<string, SegmentMembership> {
    let members = bySegment.get(segmentId);
    if (members === undefined) {
      members = new Map();
      bySegment.set(segmentId, members);
    }
    return members;
  }

  function add(m: SegmentMembership): void {
    const members = membersOf(m.segmentId);
    if (members.has(m.profileId)) return;
    members.set(m.profileId, { ...m });
    sortedMembers.delete(m.segmentId);
  }

  function remove(segmentId: string, profileId: string): void {
    const members = bySegment.get(segmentId);
    if (members?.delete(profileId) !== true) return;
    if (members.size === 0) bySegment.delete(segmentId);
    sortedMembers.delete(segmentId);
  }

  function sortedIds(segmentId: string): string[] {
    let ids = sortedMembers.get(segmentId);
    if (ids === undefined) {
      ids = [...(bySegment.get(segmentId)?.keys() ?? [])].sort();
      sortedMembers.set(segmentId, ids);
    }
    return ids;
  }

  function segments(): SegmentSummary[] {
    const ids = new Set([...definitions.keys(), ...bySegment.keys()]);
    return [...ids].sort().map((segmentId) => {
      const def = definitions.get(segmentId);
      const members = bySegment.get(segmentId);
      const first = members?.values().next().value as SegmentMembership | undefined;
      const summary: SegmentSummary = {
        segmentId,
        source: def?.source ?? first?.source ?? 'realtime',
        memberCount: members?.size ?? 0,
        ...(def?.description === undefined ? {} : { description: def.description }),
      };
      return summary;
    });
  }

  function membershipsOf(profileId: string): SegmentMembership[] {
    const found: SegmentMembership[] = [];
    for (const members of bySegment.values()) {
      const m = members.get(profileId);
      if (m !== undefined) found.push(m);
    }
    return found.sort((a, b) => (a.segmentId < b.segmentId ? -1 : 1));
  }

  return {
    async defineSegment({ segmentId, source, description }) {
      definitions.set(segmentId, description === undefined ? { source } : { source, description });
    },
    async listSegments(): Promise<readonly SegmentSummary[]> {
      return segments();
    },
    peekSegments: segments,
    peekMemberships: membershipsOf,
    async listMembers(segmentId, { limit, cursor }): Promise<Page<SegmentMembership>> {
      const members = bySegment.get(segmentId);
      if (members === undefined) return { items: [] };
      const ids = sortedIds(segmentId);
      const from = cursor === undefined ? 0 : firstAfter(ids, profileOf(cursor));
      const page = ids
        .slice(from, from + Math.max(0, limit))
        .map((id) => ({ ...(members.get(id) as SegmentMembership) }));
      const last = page[page.length - 1];
      return from + page.length < ids.length && last !== undefined
        ? { items: page, nextCursor: cursorOf(last.profileId) }
        : { items: page };
    },
    async getMemberships(profileId) {
      return membershipsOf(profileId).map((m) => ({ ...m }));
    },
    async apply(writes) {
      for (const w of writes) {
        if (w.kind === 'add') add(w.membership);
        else remove(w.segmentId, w.profileId);
      }
    },
  };
}
