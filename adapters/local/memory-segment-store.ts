import type { Page } from '../../contracts/ports/profile-store';
import type { SegmentStore, SegmentSummary } from '../../contracts/ports/segment-store';
import type { SegmentMembership, SegmentSource } from '../../contracts/profile';

interface Definition {
  source: SegmentSource;
  description?: string;
}

const cursorOf = (profileId: string) => Buffer.from(profileId).toString('base64url');
const profileOf = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/**
 * Creates a {@link SegmentStore} in memory, memberships indexed both ways. Adding a membership that
 * exists keeps the stored one (its `enteredAt`); removing one that does not exist does nothing.
 * Members are listed by profile id.
 */
export function createMemorySegmentStore(): SegmentStore {
  const definitions = new Map<string, Definition>();
  const bySegment = new Map<string, Map<string, SegmentMembership>>();
  const byProfile = new Map<string, Map<string, SegmentMembership>>();

  function index<K>(outer: Map<K, Map<string, SegmentMembership>>, key: K) {
    let inner = outer.get(key);
    if (inner === undefined) {
      inner = new Map();
      outer.set(key, inner);
    }
    return inner;
  }

  function unindex<K>(outer: Map<K, Map<string, SegmentMembership>>, key: K, inner: string) {
    const map = outer.get(key);
    map?.delete(inner);
    if (map?.size === 0) outer.delete(key);
  }

  return {
    async defineSegment({ segmentId, source, description }) {
      definitions.set(segmentId, description === undefined ? { source } : { source, description });
    },
    async listSegments(): Promise<readonly SegmentSummary[]> {
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
    },
    async listMembers(segmentId, { limit, cursor }): Promise<Page<SegmentMembership>> {
      const after = cursor === undefined ? undefined : profileOf(cursor);
      const members = [...(bySegment.get(segmentId)?.values() ?? [])]
        .filter((m) => after === undefined || m.profileId > after)
        .sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
      const page = members.slice(0, Math.max(0, limit)).map((m) => ({ ...m }));
      const last = page[page.length - 1];
      return members.length > page.length && last !== undefined
        ? { items: page, nextCursor: cursorOf(last.profileId) }
        : { items: page };
    },
    async getMemberships(profileId) {
      return [...(byProfile.get(profileId)?.values() ?? [])]
        .sort((a, b) => (a.segmentId < b.segmentId ? -1 : 1))
        .map((m) => ({ ...m }));
    },
    async apply(writes) {
      for (const w of writes) {
        if (w.kind === 'add') {
          const m = w.membership;
          if (bySegment.get(m.segmentId)?.has(m.profileId)) continue;
          index(bySegment, m.segmentId).set(m.profileId, { ...m });
          index(byProfile, m.profileId).set(m.segmentId, { ...m });
        } else {
          unindex(bySegment, w.segmentId, w.profileId);
          unindex(byProfile, w.profileId, w.segmentId);
        }
      }
    },
  };
}
