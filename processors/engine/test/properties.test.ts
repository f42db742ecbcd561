import fc from 'fast-check';
import {
  type AggregateFunction,
  type Checkpoint,
  CollectSink,
  EventTimeSessionWindows,
  InMemorySource,
  type KeyedProcessFunction,
  ManualClock,
  OutputTag,
  runToCompletion,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
} from '../index';

interface Ev {
  key: string;
  ts: number;
  id: number;
}

const count: AggregateFunction<Ev, number, number> = {
  createAccumulator: () => 0,
  add: (_e, a) => a + 1,
  merge: (a, b) => a + b,
  getResult: (a) => a,
};

const windowResult =
  (name: string) =>
  (
    key: string,
    ctx: { window(): { start: number; end: number } },
    els: Iterable<number>,
    out: { collect(s: string): void },
  ) => {
    for (const c of els) out.collect(`${name}|${key}|${ctx.window().start}|${ctx.window().end}|${c}`);
  };

const BOUND = 50;
const eventsArb = fc
  .array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), ts: fc.integer({ min: 0, max: 2000 }) }), {
    minLength: 1,
    maxLength: 120,
  })
  .map((xs) => xs.map((x, id) => ({ ...x, id })));

/** Tumbling, sliding and session counts over one partition; returns the sorted results and late records. */
function windowedResults(events: readonly Ev[], batch: number): { results: string[]; late: Ev[] } {
  const env = StreamExecutionEnvironment.create({ maxBatchSize: batch, clock: new ManualClock(0) });
  const stream = env
    .fromSource(
      InMemorySource.fromElements(events),
      WatermarkStrategy.forBoundedOutOfOrderness<Ev>(BOUND).withTimestampAssigner((e) => e.ts),
    )
    .keyBy((e) => e.key);
  const sink = new CollectSink<string>();
  const late = new CollectSink<Ev>();
  const lateTag = new OutputTag<Ev>('late');
  const t = stream
    .window(TumblingEventTimeWindows.of(100))
    .sideOutputLateData(lateTag)
    .aggregate(count, { process: windowResult('tumble') });
  t.sinkTo(sink);
  t.getSideOutput(lateTag).sinkTo(late);
  stream
    .window(SlidingEventTimeWindows.of(200, 50))
    .aggregate(count, { process: windowResult('slide') })
    .sinkTo(sink);
  stream
    .window(EventTimeSessionWindows.withGap(30))
    .aggregate(count, { process: windowResult('session') })
    .sinkTo(sink);
  runToCompletion(env);
  return { results: [...sink.values].sort(), late: late.values };
}

/** The highest timestamp among the records that arrived before `e` (what the watermark is built from). */
function maxTsBefore(arrival: readonly Ev[], e: Ev): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of arrival) {
    if (x === e) break;
    if (x.ts > max) max = x.ts;
  }
  return max;
}

/** Sessions computed directly: sorted timestamps split where the next one is more than `gap` away. */
function referenceSessions(events: readonly Ev[], gap: number): string[] {
  const out: string[] = [];
  for (const key of ['a', 'b', 'c']) {
    const ts = events
      .filter((e) => e.key === key)
      .map((e) => e.ts)
      .sort((x, y) => x - y);
    let start = ts[0];
    let last = ts[0];
    let n = 0;
    for (const t of ts) {
      if (start !== undefined && last !== undefined && t > last + gap) {
        out.push(`session|${key}|${start}|${last + gap}|${n}`);
        start = t;
        n = 0;
      }
      last = t;
      n++;
    }
    if (start !== undefined && last !== undefined) out.push(`session|${key}|${start}|${last + gap}|${n}`);
  }
  return out.sort();
}

describe('properties (fast-check)', () => {
  test('a stream shuffled within the out-of-orderness bound gives exactly the in-order results', () => {
    fc.assert(
      fc.property(
        eventsArb,
        fc.array(fc.integer({ min: 0, max: BOUND }), { minLength: 120, maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        (events, jitter, batch) => {
          const inOrder = [...events].sort((x, y) => x.ts - y.ts || x.id - y.id);
          // Sorting by ts + jitter (jitter ≤ bound) moves no event more than `bound` behind a later one.
          const shuffled = [...events].sort(
            (x, y) => x.ts + (jitter[x.id] ?? 0) - (y.ts + (jitter[y.id] ?? 0)) || x.id - y.id,
          );
          const a = windowedResults(inOrder, batch);
          const b = windowedResults(shuffled, batch);
          expect(b.late).toEqual([]);
          expect(b.results).toEqual(a.results);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('with any disorder, every record is counted in its window or sent to the late output, never lost', () => {
    fc.assert(
      fc.property(
        eventsArb,
        fc.array(fc.nat(), { minLength: 120, maxLength: 120 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 10 }),
        (events, order, lateness, batch) => {
          const arrival = [...events].sort((x, y) => (order[x.id] ?? 0) - (order[y.id] ?? 0) || x.id - y.id);
          const env = StreamExecutionEnvironment.create({ maxBatchSize: batch, clock: new ManualClock(0) });
          const fired = new CollectSink<string>();
          const late = new CollectSink<Ev>();
          const lateTag = new OutputTag<Ev>('late');
          const counts = env
            .fromSource(
              InMemorySource.fromElements(arrival),
              WatermarkStrategy.forBoundedOutOfOrderness<Ev>(20).withTimestampAssigner((e) => e.ts),
            )
            .keyBy((e) => e.key)
            .window(TumblingEventTimeWindows.of(100))
            .allowedLateness(lateness)
            .sideOutputLateData(lateTag)
            .aggregate(count, { process: windowResult('tumble') });
          counts.sinkTo(fired);
          counts.getSideOutput(lateTag).sinkTo(late);
          runToCompletion(env);
          // The last firing of each window holds everything that was not late.
          const last = new Map<string, number>();
          for (const r of fired.values) {
            const [, key, start, , n] = r.split('|');
            last.set(`${key}|${start}`, Number(n));
          }
          const counted = [...last.values()].reduce((a, b) => a + b, 0);
          expect(counted + late.values.length).toBe(events.length);
          // And a late record really was too late for its window when it arrived.
          for (const e of late.values)
            expect(e.ts - (e.ts % 100) + 99 + lateness).toBeLessThan(maxTsBefore(arrival, e) - 20);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('session merging does not depend on arrival order and matches a direct computation', () => {
    fc.assert(
      fc.property(eventsArb, fc.array(fc.nat(), { minLength: 120, maxLength: 120 }), (events, order) => {
        const permuted = [...events].sort((x, y) => (order[x.id] ?? 0) - (order[y.id] ?? 0) || x.id - y.id);
        const run = (evs: readonly Ev[]) => {
          const env = StreamExecutionEnvironment.create({ clock: new ManualClock(0) });
          const sink = new CollectSink<string>();
          env
            .fromSource(
              InMemorySource.fromElements(evs),
              WatermarkStrategy.noWatermarks<Ev>().withTimestampAssigner((e) => e.ts),
            )
            .keyBy((e) => e.key)
            .window(EventTimeSessionWindows.withGap(30))
            .aggregate(count, { process: windowResult('session') })
            .sinkTo(sink);
          runToCompletion(env);
          return [...sink.values].sort();
        };
        const expected = referenceSessions(events, 30);
        expect(run(permuted)).toEqual(expected);
        expect(run(events)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  test('checkpoint at a random point + restore + replay equals an uninterrupted run', () => {
    /** A job with windows (with lateness), a process function with state and timers, two partitions. */
    const build = (events: readonly Ev[], batch: number, parallelism: number) => {
      const env = StreamExecutionEnvironment.create({
        maxBatchSize: batch,
        parallelism,
        clock: new ManualClock(0),
      });
      const sink = new CollectSink<string>();
      const late = new CollectSink<Ev>();
      const lateTag = new OutputTag<Ev>('late');
      const keyed = env
        .fromSource(
          // Partitioned by key, as keyBy across tasks requires.
          InMemorySource.fromElements(events, 3, (e) => e.key.charCodeAt(0)),
          WatermarkStrategy.forBoundedOutOfOrderness<Ev>(20).withTimestampAssigner((e) => e.ts),
        )
        .keyBy((e) => e.key);
      const sessions = keyed
        .window(EventTimeSessionWindows.withGap(30))
        .allowedLateness(40)
        .sideOutputLateData(lateTag)
        .aggregate(count, { process: windowResult('session') }, 'sessions');
      sessions.sinkTo(sink);
      sessions.getSideOutput(lateTag).sinkTo(late);
      const running = (): KeyedProcessFunction<string, Ev, string> => {
        let total: ValueState<number>;
        return {
          open(ctx) {
            total = ctx.getState(new ValueStateDescriptor<number>('total', 0));
          },
          processElement(e, ctx, out) {
            total.update((total.value() ?? 0) + 1);
            ctx.timerService().registerEventTimeTimer(e.ts - (e.ts % 100) + 99);
            out.collect(`seen|${e.id}`);
          },
          onTimer(ts, ctx, out) {
            out.collect(`total|${ctx.getCurrentKey()}|${ts}|${total.value()}`);
          },
        };
      };
      keyed.process(running, 'running').sinkTo(sink);
      return { env, sink, late };
    };
    fc.assert(
      fc.property(
        eventsArb,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 2 }),
        fc.nat({ max: 40 }),
        (events, batch, parallelism, stopAfter) => {
          const whole = build(events, batch, parallelism);
          const wholeJob = whole.env.createJob('p');
          wholeJob.runToCompletion();

          const first = build(events, batch, parallelism);
          const job1 = first.env.createJob('p');
          for (let i = 0; i < stopAfter && job1.step(); i++) {
            // run a random number of rounds
          }
          const checkpoint: Checkpoint = structuredClone(job1.checkpoint());
          const outBefore = [...first.sink.values];
          const lateBefore = [...first.late.values];
          job1.step(); // work after the checkpoint is lost in the "failure"

          const second = build(events, batch, parallelism);
          const job2 = second.env.createJob('p', { restoreFrom: checkpoint });
          job2.runToCompletion();

          expect([...outBefore, ...second.sink.values]).toEqual(whole.sink.values);
          expect([...lateBefore, ...second.late.values]).toEqual(whole.late.values);
          expect(job2.checkpoint().tasks).toEqual(wholeJob.checkpoint().tasks);
        },
      ),
      { numRuns: 60 },
    );
  });
});
