/** One figure a benchmark measured, with the same-run baseline it is compared against. */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  /** value / baseline (or the inverse for latencies; say which in `metric`). */
  ratio?: number;
  target?: string;
  met?: boolean;
}

/** What a benchmark file reports; `scripts/bench.mjs` turns it into its section of RESULTS.md. */
export interface BenchReport {
  title: string;
  notes?: string;
  rows: BenchRow[];
}

/** A figure as RESULTS.md shows it: whole numbers from 1,000 up, otherwise 3 significant digits. */
function fmt(n: number): string {
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(3)).toString();
}

/** Prints the table for people and the machine-readable line for the harness. */
export function report(result: BenchReport): void {
  console.log(`\n${result.title}`);
  for (const r of result.rows) {
    const base = r.baseline === undefined ? '' : `  baseline ${fmt(r.baseline)} ${r.unit}`;
    const ratio = r.ratio === undefined ? '' : `  ratio ${r.ratio.toFixed(2)}`;
    const met = r.met === undefined ? '' : r.met ? '  [target met]' : '  [TARGET MISSED]';
    console.log(`  ${r.metric}: ${fmt(r.value)} ${r.unit}${base}${ratio}${met}`);
  }
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

/** Runs `fn` `rounds` times after `warmup` unmeasured rounds and returns the best throughput in ops/s. */
export function bestOpsPerSecond(ops: number, fn: () => void, rounds = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, ops / s);
  }
  return best;
}
