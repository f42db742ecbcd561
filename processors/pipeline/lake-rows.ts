import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { Identifier } from '../../contracts/identifier';
import type { LakeRecord } from '../../contracts/ports/lake-writer';
import type { SegmentChange } from '../../contracts/profile';
import type { IdentityLink, MergeCause, ProfileMerge } from '../identity';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `events`: the canonical event exactly as the stream carries it. Given the record's own JSON line, the
 * row keeps only that (parsed again if someone reads `row`), not the parsed event.
 */
export function eventRow(event: CanonicalEvent, line?: string): LakeRecord {
  if (line === undefined) return { table: 'events', timestamp: event.timestamp, row: event };
  return new EventLineRecord(event.timestamp, line);
}

/** An `events` row held as its JSON line. */
class EventLineRecord implements LakeRecord {
  readonly table = 'events';
  constructor(
    readonly timestamp: string,
    readonly line: string,
  ) {}
  /** Parsed from the line on every read (writers write `line`; tests and tools read this). */
  get row(): Readonly<Record<string, unknown>> {
    return JSON.parse(this.line) as Record<string, unknown>;
  }
}

/** `late_events`: the event plus the watermark it missed and the operator/windows that refused it. */
export function lateEventRow(
  late: { event: CanonicalEvent; watermark: number; windows: readonly string[] },
  operator: string,
): LakeRecord {
  return {
    table: 'late_events',
    timestamp: late.event.timestamp,
    row: {
      ...late.event,
      watermark: Number.isFinite(late.watermark) ? iso(late.watermark) : null,
      operator: `${operator}:${late.windows.join(',')}`,
    },
  };
}

/** `identity_links`: a pair of identifiers first seen together by this event. */
export function identityLinkRow(link: IdentityLink): LakeRecord {
  return {
    table: 'identity_links',
    timestamp: link.timestamp,
    row: {
      from_type: link.from.type,
      from_value: link.from.value,
      to_type: link.to.type,
      to_value: link.to.value,
      event_id: link.eventId,
      linked_at: link.timestamp,
    },
  };
}

/** `identity_merges`: one merged-away profile, with the cause as JSON text. */
export function identityMergeRow(merge: ProfileMerge, from: string): LakeRecord {
  return {
    table: 'identity_merges',
    timestamp: merge.cause.timestamp,
    row: {
      into_profile_id: merge.into,
      from_profile_id: from,
      cause_event_id: merge.cause.eventId,
      cause: JSON.stringify(merge.cause),
      merged_at: merge.cause.timestamp,
    },
  };
}

/**
 * The merges behind `identity_merges` rows (the inverse of `identityMergeRow`): rows of one merge
 * (same surviving profile and cause) become one `ProfileMerge` again, its merged-away ids sorted.
 */
export function mergesOfLakeRows(records: readonly LakeRecord[]): ProfileMerge[] {
  const out = new Map<string, { into: string; from: Set<string>; cause: MergeCause }>();
  for (const r of records) {
    if (r.table !== 'identity_merges') continue;
    const row = r.row as { into_profile_id: string; from_profile_id: string; cause: string };
    const cause = JSON.parse(row.cause) as MergeCause;
    const key = JSON.stringify([row.into_profile_id, cause.timestamp, cause.eventId]);
    const merge = out.get(key) ?? { into: row.into_profile_id, from: new Set<string>(), cause };
    merge.from.add(row.from_profile_id);
    out.set(key, merge);
  }
  return [...out.values()].map((m) => ({ into: m.into, from: [...m.from].sort(), cause: m.cause }));
}

/** The identifier pairs of `identity_links` rows (the inverse of `identityLinkRow`, without status). */
export function linkedPairsOfLakeRows(records: readonly LakeRecord[]): [Identifier, Identifier][] {
  return records
    .filter((r) => r.table === 'identity_links')
    .map((r) => {
      const row = r.row as { from_type: string; from_value: string; to_type: string; to_value: string };
      return [
        { type: row.from_type, value: row.from_value },
        { type: row.to_type, value: row.to_value },
      ] as [Identifier, Identifier];
    });
}

/** `segment_changes`: an enter/exit from the stream processors. */
export function segmentChangeRow(change: SegmentChange): LakeRecord {
  return {
    table: 'segment_changes',
    timestamp: change.timestamp,
    row: {
      segment_id: change.segmentId,
      profile_id: change.profileId,
      change: change.change === 'entered' ? 'enter' : 'exit',
      changed_at: change.timestamp,
      origin: 'stream',
    },
  };
}
