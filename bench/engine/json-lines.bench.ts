// The keyed tumbling count fed from JSON lines, against raw JSON.parse over the same lines (same run).

import {
  type AggregateFunction,
  CollectSink,
  DeserializingSource,
  InMemorySource,
  runToCompletion,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../processors/engine';
import { bestOpsPerSecond, report } from '../lib/report';
import { type Bid, generateBids } from './nexmark';

const N = 500_000;
const BATCH = 1024;
const lines = generateBids(N).map((b) => JSON.stringify(b));
const bytes = lines.reduce((n, l) => n + l.length + 1, 0);

const count: AggregateFunction<Bid, number, number> = {
  createAccumulator: () => 0,
  add: (_b, acc) => acc + 1,
  merge: (a, b) => a + b,
  getResult: (acc) => acc,
};

let sink = 0;
/** Baseline: only parsing the lines. */
function parseOnly(): void {
  let s = 0;
  for (let i = 0; i < lines.length; i++) s += (JSON.parse(lines[i] as string) as Bid).price;
  sink = s;
}

function engineRun(): void {
  const env = StreamExecutionEnvironment.create({ maxBatchSize: BATCH });
  env
    .fromSource(
      new DeserializingSource(new InMemorySource([lines]), (line) => JSON.parse(line) as Bid),
      WatermarkStrategy.forBoundedOutOfOrderness<Bid>(1000).withTimestampAssigner((b) => b.dateTime),
    )
    .keyBy((b) => b.auction)
    .window(TumblingEventTimeWindows.of(10_000))
    .aggregate(count)
    .sinkTo(new CollectSink<number>(), { batchSize: 4096, capacity: 1 << 20 });
  runToCompletion(env);
}

// Alternate the two so that machine noise hits both alike; keep the best round of each.
let baseline = 0;
let value = 0;
for (let round = 0; round < 5; round++) {
  baseline = Math.max(baseline, bestOpsPerSecond(N, parseOnly, 1, round === 0 ? 1 : 0));
  value = Math.max(value, bestOpsPerSecond(N, engineRun, 1, round === 0 ? 1 : 0));
}
if (sink === 0) throw new Error('nothing parsed');
report({
  title: 'Engine: tumbling count fed from JSON lines',
  notes: `${N.toLocaleString('en-US')} Nexmark bids as JSON lines (${(bytes / 2 ** 20).toFixed(0)} MiB); the job parses each line in the source (DeserializingSource + JSON.parse), takes event time from the bid, keys by auction and counts per 10 s tumbling window. Baseline: JSON.parse over the same lines alone, in the same run. Target: the job runs at ≥ 0.5× the parse-only rate (within 2×).`,
  rows: [
    {
      metric: 'throughput (job / parse only)',
      value,
      unit: 'lines/s',
      baseline,
      baselineName: 'JSON.parse only',
      ratio: value / baseline,
      target: '≥ 0.5× JSON.parse',
      met: value / baseline >= 0.5,
    },
  ],
});
