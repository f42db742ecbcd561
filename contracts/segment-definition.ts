import { z } from 'zod';

/**
 * Real-time segment definitions and their rule language (see `processors/segments/README.md`).
 *
 * A rule is exactly one of:
 * - `{ "and": [rule, ...] }`, `{ "or": [rule, ...] }`, `{ "not": rule }` (groups nest freely);
 * - `{ "field": "lifetimeValue", "operator": "gt", "value": 500 }` (a profile field, see `SEGMENT_FIELDS`);
 * - `{ "event": "purchase", "atLeast": 2, "withinDays": 30, "where": [...] }` (an event condition).
 */

/** Comparison operators of field conditions and property filters. */
export const ComparisonOperator = z.enum([
  'gt',
  'gte',
  'lt',
  'lte',
  'eq',
  'neq',
  'contains',
  'in',
  'exists',
  'between',
]);
export type ComparisonOperator = z.infer<typeof ComparisonOperator>;

/** Event conditions look back at most this many days: the profile keeps 90 days of day buckets. */
export const MAX_WINDOW_DAYS = 90;
/** Nesting depth of rule groups; deeper definitions are refused (they are a mistake, and recursion is bounded). */
export const MAX_RULE_DEPTH = 32;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, a number, a boolean or null',
});
const Orderable = z.union([z.number(), z.string()], { error: 'must be a number or a string' });

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of an ISO-8601 date-time with a zone, or undefined for any other value. */
export function isoTimeMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The order of the rule language: numbers by value, two ISO date-times by instant, other strings by
 * UTF-16 code units; undefined when the two cannot be ordered (different types, NaN, missing).
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  return comparedTo(b)(a);
}

/** `compareValues(_, b)` with `b` read once (rules compare many values with one constant). */
export function comparedTo(b: unknown): (a: unknown) => number | undefined {
  if (typeof b === 'number') {
    return (a) => (typeof a === 'number' && !Number.isNaN(a) && !Number.isNaN(b) ? a - b : undefined);
  }
  if (typeof b !== 'string') return () => undefined;
  const bTime = isoTimeMs(b);
  return (a) => {
    if (typeof a !== 'string') return undefined;
    if (bTime !== undefined) {
      const aTime = isoTimeMs(a);
      if (aTime !== undefined) return aTime - bTime;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

const comparisons = [
  z.strictObject({ operator: z.literal('gt'), value: Orderable }),
  z.strictObject({ operator: z.literal('gte'), value: Orderable }),
  z.strictObject({ operator: z.literal('lt'), value: Orderable }),
  z.strictObject({ operator: z.literal('lte'), value: Orderable }),
  z.strictObject({ operator: z.literal('eq'), value: Scalar }),
  z.strictObject({ operator: z.literal('neq'), value: Scalar }),
  z.strictObject({ operator: z.literal('contains'), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.strictObject({
    operator: z.literal('in'),
    value: z.array(Scalar).min(1, 'must list at least one value'),
  }),
  z.strictObject({ operator: z.literal('exists'), value: z.boolean().default(true) }),
  z.strictObject({
    operator: z.literal('between'),
    value: z
      .tuple([Orderable, Orderable], { error: 'must be [low, high]' })
      .refine(([low, high]) => (compareValues(low, high) ?? 1) <= 0, {
        error: 'must be [low, high] of the same type with low <= high (both ends included)',
      }),
  }),
] as const;

const operatorError = {
  error: (issue: { code: string; input?: unknown }) =>
    issue.code === 'invalid_union'
      ? `operator must be one of ${ComparisonOperator.options.join(', ')}; got ${JSON.stringify(
          (issue.input as { operator?: unknown } | undefined)?.operator ?? null,
        )}`
      : undefined,
};

/** The part of a condition that compares: `operator` and `value` (whose type depends on the operator). */
export const Comparison = z.discriminatedUnion('operator', [...comparisons], operatorError);
export type Comparison = z.infer<typeof Comparison>;

const FIELD_PATH = /^[A-Za-z_$][A-Za-z0-9_$-]*(\.[A-Za-z0-9_$-]+)*$/;
const PropertyPath = z
  .string()
  .regex(FIELD_PATH, 'must be a dotted path such as `revenue` or `product.category`');

/** Profile fields with a fixed name, and what they hold. */
export const SEGMENT_FIELDS = {
  profileId: 'the profile id',
  lifetimeValue: 'sum of purchase revenue, all time',
  totalPurchases: 'purchases, all time',
  totalPageViews: 'page views, all time',
  totalEvents: 'events, all time',
  firstSeen: 'ISO time of the first event',
  lastSeen: 'ISO time of the last event',
  updatedAt: 'ISO time of the last write',
  mergedFrom: 'profile ids merged into this one (array: use contains)',
  'lastPage.url': 'last page url',
  'lastPage.path': 'last page path',
  'lastPage.title': 'last page title',
  'lastPage.timestamp': 'ISO time of the last page view',
  'signup.timestamp': 'ISO time of the earliest signup',
  'sessions.count': 'closed sessions',
  'sessions.averageDurationMs': 'average closed-session length',
  daysSinceLastVisit: 'whole days since lastSeen (time-relative)',
  daysSinceFirstSeen: 'whole days since firstSeen (time-relative)',
  daysSinceSignup: 'whole days since the signup (time-relative; missing without a signup)',
  'today.events': 'events today, UTC (time-relative)',
  'today.purchases': 'purchases today, UTC (time-relative)',
  'today.revenue': 'revenue today, UTC (time-relative)',
  'today.pageViews': 'page views today, UTC (time-relative)',
  ...horizonFields(7),
  ...horizonFields(30),
  ...horizonFields(90),
} as const satisfies Record<string, string>;

/** Field prefixes followed by any dotted path (`traits.plan`, `eventCounts.Order Completed`). */
export const SEGMENT_FIELD_PREFIXES = {
  'traits.': 'a trait (nested objects by dotted path)',
  'eventCounts.': 'count of an event name, all time (the rest of the path is the name, dots included)',
  'signup.properties.': 'a property of the earliest signup',
} as const satisfies Record<string, string>;

function horizonFields(days: 7 | 30 | 90): Record<string, string> {
  const label = `last${days}Days`;
  return {
    [`${label}.purchases`]: `purchases over today and the ${days - 1} days before (time-relative)`,
    [`${label}.revenue`]: `revenue over today and the ${days - 1} days before (time-relative)`,
    [`${label}.pageViews`]: `page views over today and the ${days - 1} days before (time-relative)`,
  };
}

/** True when `path` names a profile field a rule may read. */
export function isSegmentField(path: string): boolean {
  if (Object.hasOwn(SEGMENT_FIELDS, path)) return true;
  for (const prefix of Object.keys(SEGMENT_FIELD_PREFIXES)) {
    if (path.startsWith(prefix) && path.length > prefix.length) {
      return prefix === 'eventCounts.' || FIELD_PATH.test(path.slice(prefix.length));
    }
  }
  return false;
}

const SegmentFieldPath = z.string().refine(isSegmentField, {
  error: (issue) =>
    `unknown field ${JSON.stringify(issue.input)}: use one of ${Object.keys(SEGMENT_FIELDS).join(', ')}, or a path under ${Object.keys(SEGMENT_FIELD_PREFIXES).join(', ')}`,
});

/** A comparison with one more key (`field` or `property`), still told apart by `operator`. */
function comparisonOn<S extends z.ZodRawShape>(shape: S) {
  const [gt, gte, lt, lte, eq, neq, contains, within, exists, between] = comparisons;
  return z.discriminatedUnion(
    'operator',
    [
      gt.extend(shape),
      gte.extend(shape),
      lt.extend(shape),
      lte.extend(shape),
      eq.extend(shape),
      neq.extend(shape),
      contains.extend(shape),
      within.extend(shape),
      exists.extend(shape),
      between.extend(shape),
    ],
    operatorError,
  );
}

/** A condition on one profile field: `{ field, operator, value }`. */
export const FieldCondition = comparisonOn({ field: SegmentFieldPath });
export type FieldCondition = z.infer<typeof FieldCondition>;

/** A condition on one event property (`properties.<property>`), inside an event condition. */
export const PropertyFilter = comparisonOn({ property: PropertyPath });
export type PropertyFilter = z.infer<typeof PropertyFilter>;

const EventName = z.string().min(1).max(512);

/**
 * "Did `event` at least `atLeast` (and at most `atMost`) times within `withinDays` days".
 * Without `where`, counts come from the profile's day buckets (`withinDays`) or its all-time
 * `eventCounts`; with `where`, from the recent-activity timeline, which is bounded (see the README).
 */
export const EventCondition = z
  .strictObject({
    /** One event name, or several that count together (`["purchase", "Order Completed"]`). */
    event: z.union([EventName, z.array(EventName).min(1).max(20)], {
      error: 'must be an event name or a non-empty list of event names',
    }),
    atLeast: z.int().nonnegative().default(1),
    atMost: z.int().nonnegative().optional(),
    /** Today (UTC) and the `withinDays - 1` days before it; all time when left out. */
    withinDays: z
      .int()
      .min(1)
      .max(
        MAX_WINDOW_DAYS,
        `must be at most ${MAX_WINDOW_DAYS}: the profile keeps ${MAX_WINDOW_DAYS} days of buckets`,
      )
      .optional(),
    /** Property filters, all of which must hold for an event to count. */
    where: z.array(PropertyFilter).min(1).max(20).optional(),
  })
  .refine((c) => c.atMost === undefined || c.atMost >= c.atLeast, {
    error: 'atMost must be at least atLeast',
    path: ['atMost'],
  });
export type EventCondition = z.infer<typeof EventCondition>;

/** A rule: a group (`and`, `or`, `not`), a field condition or an event condition. */
export type SegmentRule =
  | { readonly and: readonly SegmentRule[] }
  | { readonly or: readonly SegmentRule[] }
  | { readonly not: SegmentRule }
  | FieldCondition
  | EventCondition;

/** A rule as written, before defaults (`atLeast`, `exists`'s `value`) are filled in. */
export type SegmentRuleInput =
  | { readonly and: readonly SegmentRuleInput[] }
  | { readonly or: readonly SegmentRuleInput[] }
  | { readonly not: SegmentRuleInput }
  | z.input<typeof FieldCondition>
  | z.input<typeof EventCondition>;

const RULE_KEYS = ['and', 'or', 'not', 'field', 'event'] as const;

function ruleAtDepth(depth: number): z.ZodType<SegmentRule, SegmentRuleInput> {
  const child = z.lazy(() => ruleAtDepth(depth + 1));
  const groups = {
    and: z.strictObject({ and: z.array(child).min(1, 'a group needs at least one rule') }),
    or: z.strictObject({ or: z.array(child).min(1, 'a group needs at least one rule') }),
    not: z.strictObject({ not: child }),
  };
  return z.unknown().transform((input, ctx): SegmentRule => {
    if (depth > MAX_RULE_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `rules nest at most ${MAX_RULE_DEPTH} deep` });
      return z.NEVER;
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      ctx.addIssue({
        code: 'custom',
        message: `a rule must be an object with one of ${RULE_KEYS.join(', ')}`,
      });
      return z.NEVER;
    }
    const present = RULE_KEYS.filter((key) => Object.hasOwn(input, key));
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `a rule must have one of ${RULE_KEYS.join(', ')}; got keys ${Object.keys(input).join(', ') || '(none)'}`
            : `a rule has exactly one of ${RULE_KEYS.join(', ')}; got ${present.join(' and ')}`,
      });
      return z.NEVER;
    }
    const kind = present[0]!;
    const schema =
      kind === 'field'
        ? FieldCondition
        : kind === 'event'
          ? EventCondition
          : (groups[kind] as z.ZodType<SegmentRule>);
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data as SegmentRule;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as (string | number)[] });
    }
    return z.NEVER;
  }) as unknown as z.ZodType<SegmentRule, SegmentRuleInput>;
}

/** A rule of the segment language (recursive; errors carry the path to the bad part). */
export const SegmentRule: z.ZodType<SegmentRule, SegmentRuleInput> = ruleAtDepth(0);

/** A segment id: lower-case kebab-case, as the stores and the API use it in keys and URLs. */
export const SegmentDefinitionId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. `high-value-customers`')
  .refine(
    (id) => !id.startsWith('sql-'),
    'must not start with `sql-`: that prefix names the warehouse (SQL) segments',
  );

/** One real-time segment. */
export const SegmentDefinition = z.strictObject({
  id: SegmentDefinitionId,
  name: z.string().min(1).max(256),
  description: z.string().max(2000).optional(),
  rule: SegmentRule,
});
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;

/** A definitions file: `{ "segments": [...] }`, ids unique. */
export const SegmentDefinitionFile = z
  .strictObject({ $schema: z.string().optional(), segments: z.array(SegmentDefinition) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.segments.forEach((segment, index) => {
      if (seen.has(segment.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate segment id ${segment.id}`,
          path: ['segments', index, 'id'],
        });
      }
      seen.add(segment.id);
    });
  });
export type SegmentDefinitionFile = z.infer<typeof SegmentDefinitionFile>;
