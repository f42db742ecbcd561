import type { ActivityItem } from '../../contracts/profile';
import type {
  EventCondition,
  FieldCondition,
  PropertyFilter,
  SegmentRule,
} from '../../contracts/segment-definition';
import { compileComparison } from './compare';
import { DAY_MS, dayOfIso, type EvaluationContext, pushWindowEdges } from './evaluation-context';
import { compileField, readPath } from './fields';

/**
 * A rule compiled once into closures: `test` answers it for one context; `breakpoints` pushes every
 * time after `context.nowMs` at which its answer may change with time alone (the answer is constant
 * between two consecutive breakpoints). `timed` is false when time alone never changes it.
 */
export interface CompiledRule {
  readonly test: (context: EvaluationContext) => boolean;
  readonly breakpoints: (context: EvaluationContext, out: number[]) => void;
  readonly timed: boolean;
  /** True when `test` reads `context.activity` (an event condition with `where`). */
  readonly readsActivity: boolean;
}

const NO_BREAKPOINTS = (): void => {};

/** Compiles a parsed rule. */
export function compileRule(rule: SegmentRule): CompiledRule {
  if ('and' in rule) return compileGroup(rule.and.map(compileRule), true);
  if ('or' in rule) return compileGroup(rule.or.map(compileRule), false);
  if ('not' in rule) {
    const inner = compileRule(rule.not);
    return {
      test: (context) => !inner.test(context),
      breakpoints: inner.breakpoints,
      timed: inner.timed,
      readsActivity: inner.readsActivity,
    };
  }
  if ('field' in rule) return compileFieldCondition(rule);
  return compileEventCondition(rule);
}

function compileGroup(children: readonly CompiledRule[], all: boolean): CompiledRule {
  const timedChildren = children.filter((child) => child.timed);
  const test = all
    ? (context: EvaluationContext) => {
        for (const child of children) if (!child.test(context)) return false;
        return true;
      }
    : (context: EvaluationContext) => {
        for (const child of children) if (child.test(context)) return true;
        return false;
      };
  return {
    test,
    breakpoints: (context, out) => {
      for (const child of timedChildren) child.breakpoints(context, out);
    },
    timed: timedChildren.length > 0,
    readsActivity: children.some((child) => child.readsActivity),
  };
}

function compileFieldCondition(condition: FieldCondition): CompiledRule {
  const field = compileField(condition.field);
  const comparison = compileComparison(condition);
  const test = (context: EvaluationContext) => comparison.test(field.read(context));
  const timing = field.timing;
  switch (timing.kind) {
    case 'static':
      return { test, breakpoints: NO_BREAKPOINTS, timed: false, readsActivity: false };
    case 'days-since': {
      // A comparison of the whole day count k with n can only flip at k = floor(n), floor(n) + 1 or ceil(n).
      const ks = [
        ...new Set(comparison.numbers.flatMap((n) => [Math.floor(n), Math.floor(n) + 1, Math.ceil(n)])),
      ].filter((k) => k >= 1);
      return {
        test,
        breakpoints: (context, out) => {
          const since = timing.since(context.document);
          if (since === undefined) return;
          const base = context.timeOf(since);
          for (const k of ks) {
            const at = base + k * DAY_MS;
            if (at > context.nowMs) out.push(at);
          }
        },
        timed: ks.length > 0,
        readsActivity: false,
      };
    }
    case 'window':
      return {
        test,
        breakpoints: (context, out) => {
          for (const bucket of context.document.daily) {
            if (timing.metric(bucket) !== 0) pushWindowEdges(bucket.day, timing.days, context.nowMs, out);
          }
        },
        timed: true,
        readsActivity: false,
      };
  }
}

function compilePropertyFilter(filter: PropertyFilter): (item: ActivityItem) => boolean {
  const comparison = compileComparison(filter);
  const path = filter.property;
  return (item) => comparison.test(readPath(item.properties, path));
}

function compileEventCondition(condition: EventCondition): CompiledRule {
  const names = typeof condition.event === 'string' ? [condition.event] : [...new Set(condition.event)];
  const nameSet = new Set(names);
  const { atLeast, atMost, withinDays } = condition;
  const enough = (count: number) => count >= atLeast && (atMost === undefined || count <= atMost);

  if (condition.where !== undefined) {
    const filters = condition.where.map(compilePropertyFilter);
    const matches = (item: ActivityItem) => nameSet.has(item.eventName) && filters.every((f) => f(item));
    if (withinDays === undefined) {
      return {
        test: (context) => enough(countItems(context.activity, matches)),
        breakpoints: NO_BREAKPOINTS,
        timed: false,
        readsActivity: true,
      };
    }
    return {
      test: (context) => {
        const { from, to } = context.window(withinDays);
        let count = 0;
        for (const item of context.activity) {
          if (!matches(item)) continue;
          const day = dayOfIso(item.timestamp);
          if (day >= from && day <= to) count += 1;
        }
        return enough(count);
      },
      breakpoints: (context, out) => {
        for (const item of context.activity) {
          if (matches(item)) pushWindowEdges(dayOfIso(item.timestamp), withinDays, context.nowMs, out);
        }
      },
      timed: true,
      readsActivity: true,
    };
  }

  if (withinDays === undefined) {
    return {
      test: (context) => {
        let count = 0;
        for (const name of names) count += context.document.eventCounts[name] ?? 0;
        return enough(count);
      },
      breakpoints: NO_BREAKPOINTS,
      timed: false,
      readsActivity: false,
    };
  }
  return {
    test: (context) => {
      // The window of `eventCountWithin`, bounds computed once per evaluation, all names in one pass.
      const { from, to } = context.window(withinDays);
      let count = 0;
      for (const bucket of context.document.daily) {
        if (bucket.day < from || bucket.day > to) continue;
        for (const name of names) count += bucket.eventCounts[name] ?? 0;
      }
      return enough(count);
    },
    breakpoints: (context, out) => {
      for (const bucket of context.document.daily) {
        if (names.some((name) => (bucket.eventCounts[name] ?? 0) !== 0)) {
          pushWindowEdges(bucket.day, withinDays, context.nowMs, out);
        }
      }
    },
    timed: true,
    readsActivity: false,
  };
}

function countItems(items: readonly ActivityItem[], matches: (item: ActivityItem) => boolean): number {
  let count = 0;
  for (const item of items) if (matches(item)) count += 1;
  return count;
}
