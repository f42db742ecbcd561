// Per-key sessions (Nexmark q11-like "user sessions"): bids per bidder per session with a 10 s gap, one core.

import {
  type AggregateFunction,
  CollectSink,
  EventTimeSessionWindows,
  InMemorySource,
  runToCompletion,
  StreamExecutionEnvironment,
  WatermarkStrategy,
} from '../../processors/engine';
import { bestOpsPerSecond, report } from '../lib/report';
import { type Bid, FLINK_PUBLISHED_NOTE, generateBids } from './nexmark';

const N = 1_000_000;
const GAP = 10_000;
// 100k bidders over 100 s of event time: a bidder bids every ~10 s on average, so sessions open and close.
const bids = generateBids(N, { bidders: 100_000 });

const count: AggregateFunction<Bid, number, number> = {
  createAccumulator: () => 0,
  add: (_b, acc) => acc + 1,
  merge: (a, b) => a + b,
  getResult: (acc) => acc,
};

let outputs = 0;
function engineRun(): void {
  const env = StreamExecutionEnvironment.create({ maxBatchSize: 4096 });
  const sink = new CollectSink<number>();
  env
    .fromSource(
      new InMemorySource([bids]),
      WatermarkStrategy.forBoundedOutOfOrderness<Bid>(1000).withTimestampAssigner((b) => b.dateTime),
    )
    .keyBy((b) => b.bidder)
    .window(EventTimeSessionWindows.withGap(GAP))
    .aggregate(count)
    .sinkTo(sink, { batchSize: 4096, capacity: 1 << 20 });
  runToCompletion(env);
  outputs = sink.values.length;
}

/**
 * Same-run baseline: sessions hand-written for this input (per bidder, sorted timestamps split at gaps;
 * needs the whole input in memory and no watermarks, so it only bounds what is possible).
 */
function handWritten(): void {
  const byBidder = new Map<number, number[]>();
  for (let i = 0; i < bids.length; i++) {
    const b = bids[i] as Bid;
    const l = byBidder.get(b.bidder);
    if (l === undefined) byBidder.set(b.bidder, [b.dateTime]);
    else l.push(b.dateTime);
  }
  let sessions = 0;
  for (const ts of byBidder.values()) {
    ts.sort((a, b) => a - b);
    let last = Number.NEGATIVE_INFINITY;
    for (const t of ts) {
      if (t > last + GAP) sessions++;
      last = t;
    }
  }
  if (sessions === 0) throw new Error('no output');
}

const value = bestOpsPerSecond(N, engineRun, 5, 1);
const baseline = bestOpsPerSecond(N, handWritten, 3, 1);
report({
  title: 'Engine: per-key sessions (Nexmark q11-like)',
  notes: `${N.toLocaleString('en-US')} pre-generated bids, ${outputs} sessions, keyed by bidder (100k bidders), gap 10 s, bound 1 s, one core. Baseline: sessions hand-written over the whole input (sort + split). ${FLINK_PUBLISHED_NOTE}`,
  rows: [
    {
      metric: 'throughput',
      value,
      unit: 'events/s',
      baseline,
      baselineName: 'hand-written sort + split',
      ratio: value / baseline,
      target: '≥ 200,000 events/s',
      met: value >= 200_000,
    },
  ],
});
