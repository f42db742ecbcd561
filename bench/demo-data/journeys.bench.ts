/**
 * The demo-data journey generator: Segment calls per second, streamed (the heap is sampled as it goes
 * to show it does not grow with the count), against `JSON.stringify` of the same calls in the same run
 * (what any sender does next, so the generator should not be the slower of the two). Also the
 * canonical events per second (generator + the collector's normalization).
 *
 * `JOURNEYS_BENCH_CALLS` (entry-file knob, default 1,000,000) sets the size.
 */

import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { canonicalJourneys, generateJourneys, JourneyOptions } from '../../services/demo-data';
import { report } from '../lib/report';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CALLS = Number(process.env.JOURNEYS_BENCH_CALLS ?? '1000000');
const options = JourneyOptions.parse({
  endMs: Date.parse('2026-03-31T00:00:00.000Z'),
  count: CALLS,
  duplicates: 0.01,
  outOfOrder: 0.02,
});

function seconds(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const loadAtStart = loadavg()[0] ?? 0;
let count = 0;
const generateSeconds = seconds(() => {
  for (const _call of generateJourneys(options)) count += 1;
});
if (count !== CALLS) throw new Error(`expected ${CALLS} calls, got ${count}`);

const sample = [...generateJourneys({ ...options, count: Math.min(CALLS, 200_000) })];
let bytes = 0;
const stringifySeconds = seconds(() => {
  for (const call of sample) bytes += JSON.stringify(call).length;
});
const stringifyRate = sample.length / stringifySeconds;
const generateRate = CALLS / generateSeconds;

// Memory, untimed: a second pass, full GC before each sample, so only what the stream retains counts.
gc();
const heapBefore = process.memoryUsage().heapUsed;
let peakHeap = 0;
let seen = 0;
for (const _call of generateJourneys(options)) {
  seen += 1;
  if (seen % 100_000 === 0) {
    gc();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - heapBefore);
  }
}

let canonicalCount = 0;
const canonicalOptions = { ...options, count: Math.min(CALLS, 200_000) };
const canonicalSeconds = seconds(() => {
  for (const _event of canonicalJourneys(canonicalOptions)) canonicalCount += 1;
});

report({
  title: 'Demo data: journey generator, one core',
  notes: `1-minute load average at start / end: ${loadAtStart.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)} on this shared machine (absolute rates suffer above the core count, ratios less). ${CALLS} calls (1% duplicates, 2% late), ${(bytes / sample.length).toFixed(0)} bytes of JSON per call on average; heap sampled every 100k calls after a full GC, in an untimed second pass (it holds the customers whose journey is still going, one pending call each).`,
  rows: [
    {
      metric: 'Segment calls generated',
      value: generateRate,
      unit: 'calls/s',
      baseline: stringifyRate,
      baselineName: 'JSON.stringify of the same calls',
      ratio: generateRate / stringifyRate,
    },
    { metric: 'heap retained while streaming (peak, after full GC)', value: peakHeap / 2 ** 20, unit: 'MiB' },
    {
      metric: 'canonical events (generate + normalize)',
      value: canonicalCount / canonicalSeconds,
      unit: 'events/s',
    },
  ],
});
