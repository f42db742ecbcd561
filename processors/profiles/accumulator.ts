import type { ActivityItem } from '../../contracts/profile';
import { EventKind } from './classify-event';
import { DAY_MS, type ProfileConfig } from './profile-config';
import { addSessionEvent, type SessionPairs, unionSessions } from './session-intervals';

/** A trait's value and the event time that set it. */
export interface TraitEntry {
  v: unknown;
  t: number;
}

/** One UTC day of activity; `day` is days since the epoch, revenue in integer cents. */
export interface DayBucket {
  day: number;
  events: number;
  pageViews: number;
  purchases: number;
  revenueCents: number;
  eventCounts: Map<string, number>;
}

/** The last page, by event time. */
export interface PageEntry {
  url?: string;
  path?: string;
  title?: string;
  t: number;
}

/** The earliest signup. */
export interface SignupEntry {
  t: number;
  properties: Record<string, unknown>;
}

/**
 * Mergeable profile state: everything here is combined by {@link mergeAccumulators}, an associative and
 * commutative operation, so the same events give the same state whatever their order or grouping.
 * Times are epoch milliseconds and money is integer cents, so sums do not depend on addition order.
 * Plain data (Maps, arrays, numbers): it lives in the engine's keyed state and its checkpoints.
 */
export interface ProfileAccumulator {
  traits: Map<string, TraitEntry>;
  /** `Infinity` / `-Infinity` while empty. */
  firstSeen: number;
  lastSeen: number;
  totalEvents: number;
  totalPageViews: number;
  totalPurchases: number;
  revenueCents: number;
  eventCounts: Map<string, number>;
  lastPage: PageEntry | null;
  signup: SignupEntry | null;
  /** Ascending by day. */
  daily: DayBucket[];
  /** Sessions still open or within their allowed lateness. */
  sessions: SessionPairs;
  /** Sessions past their allowed lateness: counted and forgotten. */
  closedSessions: number;
  closedSessionMs: number;
  /** Newest first, at most `recentActivityLimit`. */
  recent: ActivityItem[];
  /** Highest sequence number applied, per shard. */
  sequences: Map<string, string>;
}

/** The event fields the accumulator reads, with its classification done once by the caller. */
export interface AccumulatorInput {
  readonly t: number;
  readonly kind: EventKind;
  readonly amountCents: number;
  readonly eventId: string;
  readonly eventName: string;
  readonly timestamp: string;
  readonly source: string;
  readonly email?: string | undefined;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
  readonly shard?: string | undefined;
  readonly sequence?: string | undefined;
  /** The timeline item of this event, when the caller already built it. */
  readonly item?: ActivityItem | undefined;
}

/** Bits of {@link addEvent}'s result: which windows found the event too late. */
export const LATE_FOR_DAILY = 1;
export const LATE_FOR_SESSIONS = 2;

type Settings = Pick<
  ProfileConfig,
  'sessionGapMs' | 'sessionAllowedLatenessMs' | 'dailyAllowedLatenessMs' | 'recentActivityLimit'
>;

/** An empty accumulator. */
export function createAccumulator(): ProfileAccumulator {
  return {
    traits: new Map(),
    firstSeen: Number.POSITIVE_INFINITY,
    lastSeen: Number.NEGATIVE_INFINITY,
    totalEvents: 0,
    totalPageViews: 0,
    totalPurchases: 0,
    revenueCents: 0,
    eventCounts: new Map(),
    lastPage: null,
    signup: null,
    daily: [],
    sessions: [],
    closedSessions: 0,
    closedSessionMs: 0,
    recent: [],
    sequences: new Map(),
  };
}

/** Numeric sequence numbers of any length (Kinesis's are decimal strings up to 128 bits). */
export function compareSequences(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A total order on arbitrary JSON values, to break ties between writes at the same event time. */
function tieBreak(a: unknown, b: unknown): number {
  const x = JSON.stringify(a) ?? '';
  const y = JSON.stringify(b) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether `(t, v)` wins over the entry `cur` under last-write-wins by event time. */
export function wins(
  t: number,
  v: unknown,
  cur: { t: number } | null | undefined,
  curValue: unknown,
): boolean {
  if (cur === null || cur === undefined) return true;
  if (t !== cur.t) return t > cur.t;
  return tieBreak(v, curValue) > 0;
}

function setTrait(traits: Map<string, TraitEntry>, name: string, v: unknown, t: number): void {
  const cur = traits.get(name);
  if (cur === undefined) traits.set(name, { v, t });
  else if (wins(t, v, cur, cur.v)) {
    cur.v = v;
    cur.t = t;
  }
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

function pageOf(input: AccumulatorInput): PageEntry {
  const p = input.properties;
  const ctxPage = input.context.page as Record<string, unknown> | undefined;
  const entry: PageEntry = { t: input.t };
  const url = str(p.url) ?? str(ctxPage?.url) ?? str(p.page);
  const path = str(p.path) ?? str(ctxPage?.path);
  const title = str(p.title) ?? str(ctxPage?.title);
  if (url !== undefined) entry.url = url;
  if (path !== undefined) entry.path = path;
  if (title !== undefined) entry.title = title;
  return entry;
}

export function pageValue(p: PageEntry): unknown {
  return [p.url ?? null, p.path ?? null, p.title ?? null];
}

function signupOf(input: AccumulatorInput): SignupEntry {
  const campaign = input.context.campaign as Record<string, unknown> | undefined;
  const properties: Record<string, unknown> = { ...input.properties };
  if (properties.signupSource === undefined) properties.signupSource = str(campaign?.source) ?? 'direct';
  return { t: input.t, properties };
}

export function earlierSignup(a: SignupEntry, b: SignupEntry): SignupEntry {
  if (a.t !== b.t) return a.t < b.t ? a : b;
  return tieBreak(a.properties, b.properties) <= 0 ? a : b;
}

function bucketFor(daily: DayBucket[], day: number): DayBucket {
  let i = daily.length - 1;
  while (i >= 0 && (daily[i] as DayBucket).day > day) i--;
  const at = daily[i];
  if (at !== undefined && at.day === day) return at;
  const bucket: DayBucket = {
    day,
    events: 0,
    pageViews: 0,
    purchases: 0,
    revenueCents: 0,
    eventCounts: new Map(),
  };
  daily.splice(i + 1, 0, bucket);
  return bucket;
}

function increment(counts: Map<string, number>, name: string, by: number): void {
  counts.set(name, (counts.get(name) ?? 0) + by);
}

function compareActivity(a: ActivityItem, b: ActivityItem): number {
  // Newest first; ISO-8601 UTC timestamps of one form sort as strings.
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? 1 : -1;
  return a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0;
}

function addRecent(recent: ActivityItem[], item: ActivityItem, limit: number): void {
  let i = 0;
  while (i < recent.length && compareActivity(recent[i] as ActivityItem, item) < 0) i++;
  if (i < recent.length && (recent[i] as ActivityItem).eventId === item.eventId) return;
  if (i >= limit) return;
  // recent.splice(i, 0, item) then cut to `limit`, without splice's array of removed items per event.
  if (recent.length >= limit) recent.length = limit;
  else recent.push(item);
  for (let k = recent.length - 1; k > i; k--) recent[k] = recent[k - 1] as ActivityItem;
  recent[i] = item;
}

/**
 * Adds one (deduplicated) event. Lifetime counters, traits, first/last seen, last page and signup
 * always take it; a window that is past its allowed lateness at `watermark` does not, and the result
 * says so (bits {@link LATE_FOR_DAILY}, {@link LATE_FOR_SESSIONS}) so the caller can send the event to
 * the late-events output.
 */
export function addEvent(
  acc: ProfileAccumulator,
  input: AccumulatorInput,
  watermark: number,
  settings: Settings,
): number {
  const t = input.t;
  if (t < acc.firstSeen) acc.firstSeen = t;
  if (t > acc.lastSeen) acc.lastSeen = t;
  acc.totalEvents++;
  increment(acc.eventCounts, input.eventName, 1);
  const kind = input.kind;
  if (kind === EventKind.PageView) {
    acc.totalPageViews++;
    const cur = acc.lastPage;
    if (cur === null || t > cur.t) acc.lastPage = pageOf(input);
    else if (t === cur.t) {
      const page = pageOf(input);
      if (tieBreak(pageValue(page), pageValue(cur)) > 0) acc.lastPage = page;
    }
  } else if (kind === EventKind.Purchase) {
    acc.totalPurchases++;
    acc.revenueCents += input.amountCents;
  } else if (kind === EventKind.Signup) {
    const signup = signupOf(input);
    acc.signup = acc.signup === null ? signup : earlierSignup(acc.signup, signup);
    if (input.email !== undefined) setTrait(acc.traits, 'email', input.email, t);
    setTrait(acc.traits, 'signupSource', signup.properties.signupSource, t);
  }
  for (const name in input.traits) setTrait(acc.traits, name, input.traits[name], t);
  if (input.shard !== undefined && input.sequence !== undefined) {
    const cur = acc.sequences.get(input.shard);
    if (cur === undefined || compareSequences(input.sequence, cur) > 0)
      acc.sequences.set(input.shard, input.sequence);
  }
  addRecent(
    acc.recent,
    input.item ?? {
      eventId: input.eventId,
      eventName: input.eventName,
      timestamp: input.timestamp,
      source: input.source,
      properties: input.properties as Record<string, unknown>,
    },
    settings.recentActivityLimit,
  );

  let late = 0;
  const day = Math.floor(t / DAY_MS);
  if ((day + 1) * DAY_MS - 1 + settings.dailyAllowedLatenessMs <= watermark) late |= LATE_FOR_DAILY;
  else {
    const bucket = bucketFor(acc.daily, day);
    bucket.events++;
    increment(bucket.eventCounts, input.eventName, 1);
    if (kind === EventKind.PageView) bucket.pageViews++;
    else if (kind === EventKind.Purchase) {
      bucket.purchases++;
      bucket.revenueCents += input.amountCents;
    }
  }
  const gap = settings.sessionGapMs;
  if (t + gap - 1 + settings.sessionAllowedLatenessMs <= watermark) late |= LATE_FOR_SESSIONS;
  else addSessionEvent(acc.sessions, t, gap);
  return late;
}

function mergeCounts(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

function mergeDaily(a: DayBucket[], b: DayBucket[]): DayBucket[] {
  const out: DayBucket[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.day < y.day)) {
      out.push({ ...(x as DayBucket), eventCounts: new Map((x as DayBucket).eventCounts) });
      i++;
    } else if (x === undefined || y.day < x.day) {
      out.push({ ...y, eventCounts: new Map(y.eventCounts) });
      j++;
    } else {
      out.push({
        day: x.day,
        events: x.events + y.events,
        pageViews: x.pageViews + y.pageViews,
        purchases: x.purchases + y.purchases,
        revenueCents: x.revenueCents + y.revenueCents,
        eventCounts: mergeCounts(x.eventCounts, y.eventCounts),
      });
      i++;
      j++;
    }
  }
  return out;
}

/**
 * Both lists newest first: one merge pass, an item of `b` dropped when `a` holds the same event at its
 * place (what adding `b`'s items one by one with {@link addRecent} gives, without its quadratic scans).
 */
export function mergeRecent(a: ActivityItem[], b: ActivityItem[], limit: number): ActivityItem[] {
  const out: ActivityItem[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && compareActivity(x, y) < 0)) {
      out.push(x as ActivityItem);
      i++;
    } else if (x !== undefined && x.eventId === y.eventId) j++;
    else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/**
 * The accumulator of the union of two event sets (associative, commutative; `a` and `b` are not
 * changed). `gap` is the session gap: sessions of both sides within it become one.
 */
export function mergeAccumulators(
  a: ProfileAccumulator,
  b: ProfileAccumulator,
  settings: Pick<Settings, 'sessionGapMs' | 'recentActivityLimit'>,
): ProfileAccumulator {
  const traits = new Map<string, TraitEntry>();
  for (const [k, e] of a.traits) traits.set(k, { v: e.v, t: e.t });
  for (const [k, e] of b.traits) setTrait(traits, k, e.v, e.t);
  let lastPage = a.lastPage;
  if (
    b.lastPage !== null &&
    (lastPage === null || wins(b.lastPage.t, pageValue(b.lastPage), lastPage, pageValue(lastPage)))
  )
    lastPage = b.lastPage;
  const signup =
    a.signup === null ? b.signup : b.signup === null ? a.signup : earlierSignup(a.signup, b.signup);
  const sequences = new Map(a.sequences);
  for (const [shard, seq] of b.sequences) {
    const cur = sequences.get(shard);
    if (cur === undefined || compareSequences(seq, cur) > 0) sequences.set(shard, seq);
  }
  return {
    traits,
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    totalEvents: a.totalEvents + b.totalEvents,
    totalPageViews: a.totalPageViews + b.totalPageViews,
    totalPurchases: a.totalPurchases + b.totalPurchases,
    revenueCents: a.revenueCents + b.revenueCents,
    eventCounts: mergeCounts(a.eventCounts, b.eventCounts),
    lastPage: lastPage === null ? null : { ...lastPage },
    signup: signup === null ? null : { t: signup.t, properties: { ...signup.properties } },
    daily: mergeDaily(a.daily, b.daily),
    sessions: unionSessions(a.sessions, b.sessions, settings.sessionGapMs),
    closedSessions: a.closedSessions + b.closedSessions,
    closedSessionMs: a.closedSessionMs + b.closedSessionMs,
    recent: mergeRecent(a.recent, b.recent, settings.recentActivityLimit),
    sequences,
  };
}
