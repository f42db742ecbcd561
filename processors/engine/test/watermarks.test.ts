import {
  BoundedOutOfOrdernessWatermarks,
  CollectSink,
  InMemorySource,
  ManualClock,
  MIN_WATERMARK,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../index';
import { byKey, type KV, kv, sum } from './fixtures';

interface TE extends KV {
  ts: number;
}
const te = (key: string, ts: number): TE => ({ ...kv(key), ts });

describe('watermarks', () => {
  test('bounded out-of-orderness: watermark = max timestamp - bound - 1 (as Flink)', () => {
    const g = new BoundedOutOfOrdernessWatermarks<unknown>(5);
    const seen: number[] = [];
    const out = { emitWatermark: (w: number) => seen.push(w), markIdle: () => {}, markActive: () => {} };
    g.onPeriodicEmit(out);
    g.onEvent(null, 100, out);
    g.onEvent(null, 90, out);
    g.onPeriodicEmit(out);
    expect(seen).toEqual([MIN_WATERMARK - 6, 94]);
  });

  test("the task's watermark is the minimum over its partitions", () => {
    const env = StreamExecutionEnvironment.create({ maxBatchSize: 10 });
    const source = new InMemorySource<TE>([[te('a', 1000)], [te('a', 10)]], { bounded: false });
    env
      .fromSource(
        source,
        WatermarkStrategy.forBoundedOutOfOrderness<TE>(0).withTimestampAssigner((e) => e.ts),
      )
      .keyBy(byKey)
      .window(TumblingEventTimeWindows.of(100))
      .aggregate(sum)
      .sinkTo(new CollectSink());
    const job = env.createJob('min');
    job.step();
    expect(job.tasks[0]?.combinedWatermark).toBe(9);
  });

  test('an idle partition stops holding back the watermark (withIdleness); without it, it does', () => {
    const run = (idleness: boolean) => {
      const clock = new ManualClock(0);
      const env = StreamExecutionEnvironment.create({ clock });
      const source = new InMemorySource<TE>([[te('a', 100)], []], { bounded: false });
      let strategy = WatermarkStrategy.forBoundedOutOfOrderness<TE>(0).withTimestampAssigner((e) => e.ts);
      if (idleness) strategy = strategy.withIdleness(1000);
      const sink = new CollectSink<number>();
      env
        .fromSource(source, strategy)
        .keyBy(byKey)
        .window(TumblingEventTimeWindows.of(50))
        .aggregate(sum)
        .sinkTo(sink);
      const job = env.createJob('idle');
      job.step();
      const before = job.tasks[0]?.combinedWatermark;
      clock.advance(1000);
      source.append('0', te('a', 200));
      job.step();
      return { before, after: job.tasks[0]?.combinedWatermark, fired: [...sink.values] };
    };
    expect(run(false)).toEqual({ before: MIN_WATERMARK, after: MIN_WATERMARK, fired: [] });
    // Partition 1 is idle after 1 s: the watermark follows partition 0 and fires [0,50) and [100,150).
    expect(run(true)).toEqual({ before: MIN_WATERMARK, after: 199, fired: [1] });
  });

  test('an idle partition that wakes up takes part again, and the watermark never goes back', () => {
    const clock = new ManualClock(0);
    const env = StreamExecutionEnvironment.create({ clock });
    const source = new InMemorySource<TE>([[te('a', 100)], []], { bounded: false });
    env
      .fromSource(
        source,
        WatermarkStrategy.forBoundedOutOfOrderness<TE>(0)
          .withTimestampAssigner((e) => e.ts)
          .withIdleness(1000),
      )
      .keyBy(byKey)
      .window(TumblingEventTimeWindows.of(50))
      .aggregate(sum)
      .sinkTo(new CollectSink());
    const job = env.createJob('wake');
    job.step();
    clock.advance(1000);
    source.append('0', te('a', 300));
    job.step();
    expect(job.tasks[0]?.combinedWatermark).toBe(299);
    source.append('1', te('b', 150));
    source.append('0', te('a', 400));
    job.step();
    // Partition 0 went first (399 while 1 was still idle); then partition 1 woke up with watermark 149:
    // the minimum would be 149, but the task's watermark never goes back.
    expect(job.tasks[0]?.combinedWatermark).toBe(399);
    expect(job.tasks[0]?.partitions[1]?.idle).toBe(false);
    source.append('1', te('b', 500));
    source.append('0', te('a', 600));
    job.step();
    expect(job.tasks[0]?.combinedWatermark).toBe(499);
  });

  test('ended partitions no longer hold back the watermark', () => {
    const env = StreamExecutionEnvironment.create({ maxBatchSize: 1 });
    const source = new InMemorySource<TE>([[te('a', 10)], [te('a', 500), te('a', 600), te('a', 700)]]);
    env
      .fromSource(
        source,
        WatermarkStrategy.forBoundedOutOfOrderness<TE>(0).withTimestampAssigner((e) => e.ts),
      )
      .keyBy(byKey)
      .window(TumblingEventTimeWindows.of(100))
      .aggregate(sum)
      .sinkTo(new CollectSink());
    const job = env.createJob('ended');
    job.step(); // partition 0 reads its only record and ends
    job.step();
    expect(job.tasks[0]?.partitions[0]?.ended).toBe(true);
    expect(job.tasks[0]?.combinedWatermark).toBe(599);
  });
});
