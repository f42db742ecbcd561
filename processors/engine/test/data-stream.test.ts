import {
  type CheckpointStorage,
  CollectSink,
  DeserializingSource,
  EventTimeSessionWindows,
  InMemoryCheckpointStorage,
  InMemorySource,
  ManualClock,
  runToCompletion,
  type Sink,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../index';
import { sum } from './fixtures';

interface E {
  key: string;
  value: number;
  ts: number;
}
const ev = (key: string, ts: number, value = 1): E => ({ key, value, ts });
const strategy = () => WatermarkStrategy.forBoundedOutOfOrderness<E>(0).withTimestampAssigner((e) => e.ts);

describe('DataStream API and job runtime', () => {
  test('map, filter and flatMap chain in order', () => {
    const env = StreamExecutionEnvironment.create();
    const sink = new CollectSink<string>();
    env
      .fromSource(InMemorySource.fromElements([1, 2, 3, 4]), WatermarkStrategy.noWatermarks<number>())
      .filter((x) => x % 2 === 0)
      // biome-ignore lint/suspicious/useIterableCallbackReturn: Flink's flatMap emits through its collector
      .flatMap<number>((x, out) => {
        out.collect(x);
        out.collect(x * 10);
      })
      .map((x) => `#${x}`)
      .sinkTo(sink);
    const result = runToCompletion(env);
    expect(sink.values).toEqual(['#2', '#20', '#4', '#40']);
    expect(result).toMatchObject({ recordsIn: 4, finished: true });
  });

  test('parallelism splits partitions into tasks; keyed results are the same as with one task', () => {
    const events = Array.from({ length: 200 }, (_, i) => ev(`k${i % 7}`, i * 3));
    const run = (parallelism: number) => {
      const env = StreamExecutionEnvironment.create({ parallelism, maxBatchSize: 16 });
      const sink = new CollectSink<string>();
      env
        .fromSource(
          InMemorySource.fromElements(events, 4, (e) => Number(e.key.slice(1))),
          strategy(),
        )
        .keyBy((e) => e.key)
        .window(TumblingEventTimeWindows.of(100))
        .aggregate<number, number, string>(sum, {
          process: (k, ctx, els, out) => {
            for (const c of els) out.collect(`${k}@${ctx.window().start}=${c}`);
          },
        })
        .sinkTo(sink);
      const job = env.createJob('par');
      expect(job.tasks.map((t) => t.partitions.map((p) => p.id))).toEqual(
        parallelism === 1
          ? [['0', '1', '2', '3']]
          : [
              ['0', '2'],
              ['1', '3'],
            ],
      );
      job.runToCompletion();
      return [...sink.values].sort();
    };
    expect(run(2)).toEqual(run(1));
    expect(run(1)).toHaveLength(7 * 6);
  });

  test('a deserializing source parses records before timestamps are assigned', () => {
    const env = StreamExecutionEnvironment.create();
    const lines = [ev('a', 1), ev('a', 4), ev('a', 12)].map((e) => JSON.stringify(e));
    const sink = new CollectSink<number>();
    env
      .fromSource(new DeserializingSource(new InMemorySource([lines]), (l) => JSON.parse(l) as E), strategy())
      .keyBy((e) => e.key)
      .window(TumblingEventTimeWindows.of(10))
      .aggregate(sum)
      .sinkTo(sink);
    runToCompletion(env);
    expect(sink.values).toEqual([2, 1]);
  });

  test('run() checkpoints periodically; restoring any of them and replaying gives the same output', async () => {
    const events = Array.from({ length: 60 }, (_, i) => ev(`k${i % 3}`, i * 7));
    const build = () => {
      const sink = new CollectSink<number>();
      const storage = new InMemoryCheckpointStorage();
      /** Outputs emitted when each checkpoint was stored (sinks are flushed before a checkpoint). */
      const emittedAt: number[] = [];
      const recording: CheckpointStorage = {
        store: (c) => {
          emittedAt.push(sink.values.length);
          storage.store(c);
        },
        latest: (name) => storage.latest(name),
      };
      const env = StreamExecutionEnvironment.create({
        maxBatchSize: 5,
        clock: new ManualClock(0),
        checkpointStorage: recording,
      });
      env
        .fromSource(InMemorySource.fromElements(events, 2), strategy())
        .keyBy((e) => e.key)
        .window(TumblingEventTimeWindows.of(50))
        .aggregate(sum, undefined, 'counts')
        .sinkTo(sink);
      return { env, sink, storage, emittedAt };
    };
    const whole = build();
    const result = await whole.env.execute('ckpt', { checkpointEveryRounds: 1 });
    const checkpoints = whole.storage.all('ckpt');
    expect(result.checkpoints).toBe(checkpoints.length);
    expect(checkpoints.length).toBeGreaterThan(3);
    for (let i = 0; i < checkpoints.length; i++) {
      const again = build();
      await again.env.execute('ckpt', { restoreFrom: structuredClone(checkpoints[i]) });
      const before = whole.sink.values.slice(0, whole.emittedAt[i]);
      expect([...before, ...again.sink.values]).toEqual(whole.sink.values);
    }
  });

  test('an idempotent sink gets exactly-once effect across a failure, restore and replay', () => {
    const events = Array.from({ length: 40 }, (_, i) => ev(`k${i % 4}`, i * 9));
    /** Upserts by (key, window): replays overwrite with the same value instead of adding. */
    const store = new Map<string, number>();
    let writes = 0;
    const upsert: Sink<{ id: string; n: number }> = {
      createWriter: () => ({
        write: (rows) => {
          for (const r of rows) store.set(r.id, r.n);
          writes += rows.length;
        },
      }),
    };
    const build = () => {
      const env = StreamExecutionEnvironment.create({ maxBatchSize: 3, clock: new ManualClock(0) });
      env
        .fromSource(InMemorySource.fromElements(events, 2), strategy())
        .keyBy((e) => e.key)
        .window(TumblingEventTimeWindows.of(60))
        .aggregate<number, number, { id: string; n: number }>(sum, {
          process: (k, ctx, els, out) => {
            for (const n of els) out.collect({ id: `${k}@${ctx.window().start}`, n });
          },
        })
        .sinkTo(upsert, { batchSize: 1, capacity: 10 });
      return env;
    };
    runToCompletion(build(), 'once');
    const expected = new Map(store);
    const uninterruptedWrites = writes;
    store.clear();
    writes = 0;

    const job1 = build().createJob('once');
    for (let i = 0; i < 4; i++) job1.step();
    const checkpoint = structuredClone(job1.checkpoint());
    for (let i = 0; i < 3; i++) job1.step(); // written, then "lost" by the failure
    build().createJob('once', { restoreFrom: checkpoint }).runToCompletion();

    expect(writes).toBeGreaterThan(uninterruptedWrites); // some results were delivered twice
    expect(store).toEqual(expected); // and the store is as if it never failed
  });

  test('window process() sees every record of the window, merged sessions included', () => {
    const env = StreamExecutionEnvironment.create();
    const sink = new CollectSink<string>();
    env
      .fromSource(
        InMemorySource.fromElements([ev('a', 1, 5), ev('a', 30, 7), ev('a', 12, 6), ev('b', 3, 1)]),
        strategy(),
      )
      .keyBy((e) => e.key)
      .window(EventTimeSessionWindows.withGap(20))
      .process<string>({
        process: (key, ctx, elements, out) => {
          out.collect(
            `${key}[${ctx.window().start},${ctx.window().end}):${[...elements].map((e) => e.value).join(',')}`,
          );
        },
      })
      .sinkTo(sink);
    runToCompletion(env);
    expect(sink.values).toEqual(['b[3,23):1', 'a[1,50):5,7,6']);
  });

  test('window reduce() combines the records of each window', () => {
    const env = StreamExecutionEnvironment.create();
    const sink = new CollectSink<E>();
    env
      .fromSource(
        InMemorySource.fromElements([ev('a', 1, 5), ev('a', 2, 9), ev('a', 15, 1), ev('b', 3, 2)]),
        strategy(),
      )
      .keyBy((e) => e.key)
      .window(TumblingEventTimeWindows.of(10))
      .reduce((x, y) => (y.value > x.value ? y : x))
      .sinkTo(sink);
    runToCompletion(env);
    expect(sink.values).toEqual([ev('a', 2, 9), ev('b', 3, 2), ev('a', 15, 1)]);
  });

  test('clear errors for misuse', () => {
    const env = StreamExecutionEnvironment.create();
    const s = env.fromSource(InMemorySource.fromElements([ev('a', 1)]), strategy());
    expect(() =>
      env.fromSource(InMemorySource.fromElements([1]), WatermarkStrategy.noWatermarks<number>()),
    ).toThrow(/exactly one source/);
    s.map((x) => x, 'm');
    expect(() => s.map((x) => x, 'm')).toThrow(/duplicate operator uid "m"/);
    expect(() => StreamExecutionEnvironment.create({ parallelism: 0 })).toThrow(/parallelism/);
    expect(() => TumblingEventTimeWindows.of(0)).toThrow(/size must be > 0/);
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(-1)).toThrow(/bound/);
    expect(() =>
      s
        .keyBy((e) => e.key)
        .window(TumblingEventTimeWindows.of(10))
        .allowedLateness(-5),
    ).toThrow(/allowedLateness/);
  });

  test('restoring needs the same parallelism and the same operators', () => {
    const build = (parallelism: number, uid: string) => {
      const env = StreamExecutionEnvironment.create({ parallelism, clock: new ManualClock(0) });
      env
        .fromSource(InMemorySource.fromElements([ev('a', 1), ev('b', 2)], 2), strategy())
        .keyBy((e) => e.key)
        .window(TumblingEventTimeWindows.of(10))
        .aggregate(sum, undefined, uid)
        .sinkTo(new CollectSink());
      return env;
    };
    const job = build(1, 'w').createJob('j');
    job.step();
    const c = job.checkpoint();
    expect(() => build(2, 'w').createJob('j', { restoreFrom: c })).toThrow(/parallelism 1, the job has 2/);
    expect(() => build(1, 'other').createJob('j', { restoreFrom: c })).toThrow(/operator "w"/);
  });

  test('the synchronous runner refuses asynchronous sources with a clear error', () => {
    const env = StreamExecutionEnvironment.create();
    env
      .fromSource(
        {
          partitions: () => ['p'],
          createReader: () => ({
            poll: async () => ({ records: [1], nextOffset: '1', endOfPartition: true }),
          }),
        },
        WatermarkStrategy.noWatermarks<number>(),
      )
      .sinkTo(new CollectSink());
    expect(() => runToCompletion(env)).toThrow(/use run\(\)\/stepAsync\(\)/);
  });

  test('the synchronous runner refuses an unbounded source instead of spinning', () => {
    const env = StreamExecutionEnvironment.create();
    env
      .fromSource(new InMemorySource([[1, 2]], { bounded: false }), WatermarkStrategy.noWatermarks<number>())
      .sinkTo(new CollectSink());
    expect(() => runToCompletion(env)).toThrow(/needs bounded sources/);
  });

  test('execute() runs asynchronous sources to the end', async () => {
    const env = StreamExecutionEnvironment.create({ maxBatchSize: 2 });
    const data = [ev('a', 1), ev('a', 2), ev('a', 15)];
    const sink = new CollectSink<number>();
    env
      .fromSource(
        {
          partitions: () => ['p'],
          createReader: (_p, start) => {
            let pos = Number(start ?? 0);
            return {
              poll: async (max: number) => {
                const records = data.slice(pos, pos + max);
                pos += records.length;
                return { records, nextOffset: String(pos), endOfPartition: pos >= data.length };
              },
            };
          },
        },
        strategy(),
      )
      .keyBy((e) => e.key)
      .window(TumblingEventTimeWindows.of(10))
      .aggregate(sum)
      .sinkTo(sink);
    const result = await env.execute('async');
    expect(result.finished).toBe(true);
    expect(sink.values).toEqual([2, 1]);
  });
});
