import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { SegmentDefinition } from '../../contracts/segment-definition';
import { issuesFromZod, joinPath } from '../../contracts/validation-issue';
import { type CompiledRule, compileRule } from './compile-rule';
import { EvaluationContext } from './evaluation-context';

/** The real-time segments a profile belongs to at one moment, in definition order. */
export interface SegmentMemberships {
  readonly profileId: string;
  readonly segmentIds: readonly string[];
}

/** Evaluates compiled segment definitions against profiles. Pure: same inputs, same answers. */
export interface SegmentEvaluator {
  readonly definitions: readonly SegmentDefinition[];
  /** False when no rule reads the activity passed in (then any list, an empty one too, gives the same answers). */
  readonly readsActivity: boolean;
  /** The segments `document` belongs to at `nowMs`. */
  evaluate(document: ProfileDocument, activity: readonly ActivityItem[], nowMs: number): SegmentMemberships;
  /**
   * The earliest time after `nowMs` at which some segment's answer for this profile changes with time
   * alone (no new event), or undefined if none ever does. `evaluate` gives the same answer at every
   * time in `[nowMs, nextChangeAt)`; the pipeline sets its timer here.
   */
  nextChangeAt(
    document: ProfileDocument,
    activity: readonly ActivityItem[],
    nowMs: number,
  ): number | undefined;
}

/** A definition list that does not validate (a programming error: files go through `parseSegmentDefinitions`). */
export class SegmentDefinitionError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'SegmentDefinitionError';
  }
}

/**
 * Probing stops after this many breakpoints of one segment; the next one is returned instead (still
 * correct: the answer is constant until then, the pipeline just evaluates again earlier than needed).
 */
const DEFAULT_MAX_PROBES = 16;

interface CompiledSegment {
  readonly id: string;
  readonly rule: CompiledRule;
}

/** Tuning of the evaluator. */
export interface SegmentEvaluatorOptions {
  /** Breakpoints of one segment probed by `nextChangeAt` before it answers early (default 16). */
  readonly maxProbes?: number;
}

/** Compiles the definitions once and returns an evaluator; throws `SegmentDefinitionError` on invalid ones. */
export function createSegmentEvaluator(
  definitions: readonly SegmentDefinition[],
  options: SegmentEvaluatorOptions = {},
): SegmentEvaluator {
  const maxProbes = options.maxProbes ?? DEFAULT_MAX_PROBES;
  const seen = new Set<string>();
  const issues: { path: string; message: string }[] = [];
  const valid: SegmentDefinition[] = [];
  definitions.forEach((definition, index) => {
    const parsed = SegmentDefinition.safeParse(definition);
    if (!parsed.success) {
      for (const issue of issuesFromZod(parsed.error))
        issues.push({ ...issue, path: joinPath(`[${index}]`, issue.path) });
      return;
    }
    if (seen.has(parsed.data.id))
      issues.push({ path: `[${index}].id`, message: `duplicate segment id ${parsed.data.id}` });
    seen.add(parsed.data.id);
    valid.push(parsed.data);
  });
  if (issues.length > 0) {
    throw new SegmentDefinitionError(
      `invalid segment definitions: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const segments: CompiledSegment[] = valid.map((d) => ({ id: d.id, rule: compileRule(d.rule) }));
  const timedSegments = segments.filter((segment) => segment.rule.timed);

  return {
    definitions: valid,
    readsActivity: segments.some((segment) => segment.rule.readsActivity),
    evaluate(document, activity, nowMs) {
      const context = new EvaluationContext(document, activity, nowMs);
      const segmentIds: string[] = [];
      for (const segment of segments) if (segment.rule.test(context)) segmentIds.push(segment.id);
      return { profileId: document.profileId, segmentIds };
    },
    nextChangeAt(document, activity, nowMs) {
      if (timedSegments.length === 0) return undefined;
      const now = new EvaluationContext(document, activity, nowMs);
      // Runs for every profile a flush writes: no Set, spread, filter or sort copy per segment.
      let later: Map<number, EvaluationContext> | undefined;
      const at = (time: number) => {
        later ??= new Map();
        let context = later.get(time);
        if (context === undefined) {
          context = new EvaluationContext(document, activity, time);
          later.set(time, context);
        }
        return context;
      };
      let earliest: number | undefined;
      const points: number[] = [];
      for (const segment of timedSegments) {
        points.length = 0;
        segment.rule.breakpoints(now, points);
        // the candidates: distinct finite times after now (and before the earliest change found), ascending
        const n = candidatesIn(points, nowMs, earliest);
        if (n === 0) continue;
        const current = segment.rule.test(now);
        for (let i = 0; i < n; i += 1) {
          const time = points[i] as number;
          if (i === maxProbes || segment.rule.test(at(time)) !== current) {
            earliest = time;
            break;
          }
        }
      }
      return earliest;
    },
  };
}

/**
 * Keeps in `points` (in place) the distinct finite times after `nowMs` and before `before` (when given),
 * ascending, and returns how many: `[...new Set(points)].filter(...).sort(...)` without its copies.
 */
function candidatesIn(points: number[], nowMs: number, before: number | undefined): number {
  let n = 0;
  for (let i = 0; i < points.length; i += 1) {
    const t = points[i] as number;
    if (t > nowMs && Number.isFinite(t) && (before === undefined || t < before)) points[n++] = t;
  }
  points.length = n;
  if (n > 32) points.sort((a, b) => a - b);
  else {
    // insertion sort: breakpoint lists are short, and Array#sort copies its array first
    for (let i = 1; i < n; i += 1) {
      const t = points[i] as number;
      let j = i - 1;
      while (j >= 0 && (points[j] as number) > t) {
        points[j + 1] = points[j] as number;
        j -= 1;
      }
      points[j + 1] = t;
    }
  }
  let m = 0;
  for (let i = 0; i < n; i += 1)
    if (m === 0 || points[i] !== points[m - 1]) points[m++] = points[i] as number;
  points.length = m;
  return m;
}
