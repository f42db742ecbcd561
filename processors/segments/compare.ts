import { type Comparison, comparedTo } from '../../contracts/segment-definition';

/** A compiled comparison: the test on a value, and the numbers it compares against (for timers). */
export interface CompiledComparison {
  readonly test: (value: unknown) => boolean;
  readonly numbers: readonly number[];
}

type Orderable = number | string;

function ordered(value: Orderable, accept: (difference: number) => boolean): (v: unknown) => boolean {
  const compare = comparedTo(value);
  return (v) => {
    const difference = compare(v);
    return difference !== undefined && accept(difference);
  };
}

/**
 * Compiles `{ operator, value }` into a test. A missing field (`undefined`) fails every operator but
 * `exists: false`; values are never coerced (the string `"5"` is not the number 5).
 */
export function compileComparison(comparison: Comparison): CompiledComparison {
  switch (comparison.operator) {
    case 'gt':
      return { test: ordered(comparison.value, (d) => d > 0), numbers: numbersOf([comparison.value]) };
    case 'gte':
      return { test: ordered(comparison.value, (d) => d >= 0), numbers: numbersOf([comparison.value]) };
    case 'lt':
      return { test: ordered(comparison.value, (d) => d < 0), numbers: numbersOf([comparison.value]) };
    case 'lte':
      return { test: ordered(comparison.value, (d) => d <= 0), numbers: numbersOf([comparison.value]) };
    case 'eq': {
      const expected = comparison.value;
      return { test: (v) => v === expected, numbers: numbersOf([expected]) };
    }
    case 'neq': {
      const expected = comparison.value;
      return { test: (v) => v !== undefined && v !== expected, numbers: numbersOf([expected]) };
    }
    case 'contains': {
      const needle = comparison.value;
      const text = String(needle);
      return {
        test: (v) =>
          typeof v === 'string'
            ? v.includes(text)
            : Array.isArray(v)
              ? v.some((item) => item === needle)
              : false,
        numbers: [],
      };
    }
    case 'in': {
      const allowed = new Set<unknown>(comparison.value);
      return {
        test: (v) =>
          v === undefined ? false : Array.isArray(v) ? v.some((item) => allowed.has(item)) : allowed.has(v),
        numbers: numbersOf(comparison.value),
      };
    }
    case 'exists': {
      const wanted = comparison.value;
      return { test: (v) => (v !== undefined && v !== null) === wanted, numbers: [] };
    }
    case 'between': {
      const [low, high] = comparison.value;
      const aboveLow = ordered(low, (d) => d >= 0);
      const belowHigh = ordered(high, (d) => d <= 0);
      return { test: (v) => aboveLow(v) && belowHigh(v), numbers: numbersOf([low, high]) };
    }
  }
}

function numbersOf(values: readonly unknown[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}
