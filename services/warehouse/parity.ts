import type { Identifier } from '../../contracts/identifier';
import type { Warehouse } from '../../contracts/ports/warehouse';
import type { ProfileDocument } from '../../contracts/profile';
import { roundMoney } from '../../contracts/profile-figures';

/** A profile as the processors hold it, with the identifiers identity resolution gave it. */
export interface ProcessorProfile {
  readonly identifiers: readonly Identifier[];
  readonly document: ProfileDocument;
}

/** One field on which the two sides disagree, for the profile named by its identifier set. */
export interface ParityDifference {
  /** Sorted `type:value` keys of the profile's identifiers (how the two sides are matched). */
  readonly identifiers: string;
  readonly field: string;
  readonly processors: unknown;
  readonly warehouse: unknown;
}

/** The figures both sides compute, in the processors' terms. */
export interface ComparableProfile {
  readonly profileId: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly totalEvents: number;
  readonly totalPageViews: number;
  readonly totalPurchases: number;
  readonly lifetimeValue: number;
  readonly signupAt: string | null;
  readonly sessionCount: number;
  readonly sessionDurationMs: number;
  readonly traits: Readonly<Record<string, string | null>>;
}

/** Traits `dim_profiles` has columns for. */
export const COMPARED_TRAITS = ['name', 'first_name', 'last_name', 'plan', 'company'] as const;

const setKey = (ids: readonly { type: string; value: string }[]) =>
  ids
    .map((i) => `${i.type}:${i.value}`)
    .sort()
    .join(' ');

const traitText = (v: unknown): string | null =>
  v === undefined || v === null || v === '' ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** The processors' side of a profile in comparable terms. */
export function comparableFromDocument(doc: ProfileDocument): ComparableProfile {
  return {
    profileId: doc.profileId,
    firstSeen: doc.firstSeen,
    lastSeen: doc.lastSeen,
    totalEvents: doc.totalEvents,
    totalPageViews: doc.totalPageViews,
    totalPurchases: doc.totalPurchases,
    lifetimeValue: roundMoney(doc.lifetimeValue),
    signupAt: doc.signup?.timestamp ?? null,
    sessionCount: doc.sessions.count,
    sessionDurationMs: doc.sessions.totalDurationMs,
    traits: Object.fromEntries(COMPARED_TRAITS.map((t) => [t, traitText(doc.traits[t])])),
  };
}

/** Reads `dim_profiles` and each profile's identifiers from the warehouse, keyed by identifier set. */
export async function readWarehouseProfiles(
  warehouse: Warehouse,
  schema = 'analytics',
): Promise<Map<string, ComparableProfile>> {
  const ids = await warehouse.query(
    `select profile_id, identifier_type, identifier_value from ${schema}.int_identity_profiles`,
  );
  const byProfile = new Map<string, { type: string; value: string }[]>();
  for (const r of ids.rows) {
    const list = byProfile.get(String(r.profile_id)) ?? [];
    list.push({ type: String(r.identifier_type), value: String(r.identifier_value) });
    byProfile.set(String(r.profile_id), list);
  }
  const rows = await warehouse.query(`select * from ${schema}.dim_profiles`);
  const out = new Map<string, ComparableProfile>();
  for (const r of rows.rows) {
    const profileId = String(r.profile_id);
    out.set(setKey(byProfile.get(profileId) ?? []), {
      profileId,
      firstSeen: String(r.first_seen),
      lastSeen: String(r.last_seen),
      totalEvents: Number(r.total_events),
      totalPageViews: Number(r.total_page_views),
      totalPurchases: Number(r.total_purchases),
      lifetimeValue: roundMoney(Number(r.lifetime_value)),
      signupAt: r.signed_up_at === null ? null : String(r.signed_up_at),
      sessionCount: Number(r.session_count),
      sessionDurationMs: Number(r.session_duration_ms),
      traits: Object.fromEntries(COMPARED_TRAITS.map((t) => [t, traitText(r[t])])),
    });
  }
  return out;
}

/**
 * Every difference between the processors' profiles and the warehouse's, matched by identifier set
 * (so a profile is compared even if the two sides named it differently; the id is then one field).
 */
export function compareProfiles(
  processors: readonly ProcessorProfile[],
  warehouse: ReadonlyMap<string, ComparableProfile>,
): ParityDifference[] {
  const differences: ParityDifference[] = [];
  const matched = new Set<string>();
  for (const p of processors) {
    const key = setKey(p.identifiers);
    const mine = comparableFromDocument(p.document);
    const theirs = warehouse.get(key);
    if (!theirs) {
      differences.push({ identifiers: key, field: '(profile)', processors: mine.profileId, warehouse: null });
      continue;
    }
    matched.add(key);
    for (const field of Object.keys(mine) as (keyof ComparableProfile)[]) {
      if (field === 'traits') {
        for (const t of COMPARED_TRAITS) {
          if (mine.traits[t] !== theirs.traits[t]) {
            differences.push({
              identifiers: key,
              field: `traits.${t}`,
              processors: mine.traits[t],
              warehouse: theirs.traits[t],
            });
          }
        }
      } else if (mine[field] !== theirs[field]) {
        differences.push({ identifiers: key, field, processors: mine[field], warehouse: theirs[field] });
      }
    }
  }
  for (const [key, w] of warehouse) {
    if (!matched.has(key))
      differences.push({ identifiers: key, field: '(profile)', processors: null, warehouse: w.profileId });
  }
  return differences;
}
