import type { DailyActivity, ProfileDocument } from '../../contracts/profile';
import { daysSince, type EvaluationContext } from './evaluation-context';

/**
 * How a field's value moves with time alone (no new event):
 * - `static`: it does not;
 * - `days-since`: whole days since a time of the profile, +1 every 24 hours;
 * - `window`: a sum over the day buckets of the last `days` days, which changes when a bucket with a
 *   non-zero `metric` enters or leaves the window.
 */
export type FieldTiming =
  | { readonly kind: 'static' }
  | { readonly kind: 'days-since'; readonly since: (document: ProfileDocument) => string | undefined }
  | { readonly kind: 'window'; readonly days: number; readonly metric: (bucket: DailyActivity) => number };

/** A compiled field path: how to read it, and how it moves with time. */
export interface FieldReader {
  readonly read: (context: EvaluationContext) => unknown;
  readonly timing: FieldTiming;
}

const STATIC = { kind: 'static' } as const;

type Metric = 'purchases' | 'revenue' | 'pageViews' | 'events';

const HORIZONS: Readonly<Record<string, number>> = { today: 1, last7Days: 7, last30Days: 30, last90Days: 90 };

function staticField(read: (document: ProfileDocument) => unknown): FieldReader {
  return { read: (context) => read(context.document), timing: STATIC };
}

function daysSinceField(since: (document: ProfileDocument) => string | undefined): FieldReader {
  return {
    read: (context) => daysSince(since(context.document), context),
    timing: { kind: 'days-since', since },
  };
}

function windowField(days: number, metric: Metric): FieldReader {
  const read =
    metric === 'events'
      ? (context: EvaluationContext) => context.todayEvents()
      : (context: EvaluationContext) => context.horizon(days)[metric];
  return { read, timing: { kind: 'window', days, metric: (bucket) => bucket[metric] } };
}

/**
 * Reads a dotted path inside a JSON value; a key that itself contains dots is tried whole first. Across
 * an array, a number is an index (`products.0.price`); anything else (`products.category`) is read in
 * every element, giving the list of values found, so `contains` and `in` ask "any product in this category".
 */
export function readPath(root: unknown, path: string): unknown {
  if (root === null || typeof root !== 'object') return undefined;
  const record = root as Record<string, unknown>;
  if (Array.isArray(root)) {
    const dot = path.indexOf('.');
    const head = dot < 0 ? path : path.slice(0, dot);
    if (/^\d+$/.test(head))
      return dot < 0 ? root[Number(head)] : readPath(root[Number(head)], path.slice(dot + 1));
    const values: unknown[] = [];
    for (const element of root) {
      const value = readPath(element, path);
      if (Array.isArray(value)) values.push(...value);
      else if (value !== undefined) values.push(value);
    }
    return values.length === 0 ? undefined : values;
  }
  if (Object.hasOwn(record, path)) return record[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const head = path.slice(0, dot);
  return Object.hasOwn(record, head) ? readPath(record[head], path.slice(dot + 1)) : undefined;
}

/** Compiles a field path that `isSegmentField` accepted. */
export function compileField(path: string): FieldReader {
  switch (path) {
    case 'daysSinceLastVisit':
      return daysSinceField((d) => d.lastSeen);
    case 'daysSinceFirstSeen':
      return daysSinceField((d) => d.firstSeen);
    case 'daysSinceSignup':
      return daysSinceField((d) => d.signup?.timestamp);
    case 'sessions.averageDurationMs':
      return staticField((d) => (d.sessions.count === 0 ? 0 : d.sessions.totalDurationMs / d.sessions.count));
    case 'signup.timestamp':
      return staticField((d) => d.signup?.timestamp);
  }
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? '' : path.slice(dot + 1);
  const horizon = HORIZONS[head];
  if (horizon !== undefined) return windowField(horizon, rest as Metric);
  switch (head) {
    case 'traits':
      return staticField((d) => readPath(d.traits, rest));
    case 'eventCounts':
      return staticField((d) => d.eventCounts[rest] ?? 0);
    case 'signup':
      // only `signup.properties.<path>` remains (checked by the schema)
      return staticField((d) => readPath(d.signup?.properties, rest.slice('properties.'.length)));
    default:
      return staticField((d) => readPath(d, path));
  }
}
