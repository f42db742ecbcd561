import {
  InMemoryCheckpointStorage,
  InMemorySource,
  ManualClock,
  type Sink,
  type SinkWriter,
  StreamExecutionEnvironment,
  WatermarkStrategy,
} from '../index';
import type { SinkOperator } from '../runtime/operators/sink-operator';

/** A sink whose writes stay pending until released: a stalled downstream system. */
class StallingSink implements Sink<number> {
  readonly written: number[] = [];
  writesStarted = 0;
  private readonly waiting: Array<() => void> = [];
  private stalled = true;
  createWriter(): SinkWriter<number> {
    return {
      write: (records) =>
        new Promise<void>((resolve) => {
          this.writesStarted++;
          const done = () => {
            this.written.push(...records);
            resolve();
          };
          if (this.stalled) this.waiting.push(done);
          else queueMicrotask(done);
        }),
    };
  }
  release(): void {
    this.stalled = false;
    for (const w of this.waiting.splice(0)) w();
  }
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('backpressure', () => {
  test('a stalled sink pauses the source: bounded in-flight records, nothing lost once it resumes', async () => {
    // Prepare: 2 partitions × 5,000 records, 10 per poll; the sink holds at most 100 before pausing.
    const N = 5000;
    const parts = [0, 1].map((p) => Array.from({ length: N }, (_, i) => p * N + i));
    const source = new InMemorySource<number>(parts);
    const sink = new StallingSink();
    const env = StreamExecutionEnvironment.create({ maxBatchSize: 10, clock: new ManualClock(0) });
    env
      .fromSource(source, WatermarkStrategy.noWatermarks<number>())
      .map((x) => x * 2)
      .sinkTo(sink, { batchSize: 20, capacity: 100 });
    const job = env.createJob('stall');
    const sinkOp = job.tasks[0]?.sinks[0] as SinkOperator;

    // Act: run until the job stops making progress.
    const running = job.run({ idleWaitMs: 1 });
    await ticks(200);
    const polled = () => [...source.polled.values()].reduce((a, b) => a + b, 0);
    const polledWhileStalled = polled();
    await ticks(200);

    // Assess: the source stopped; what it handed out is bounded by the sink's capacity plus one round.
    expect(polled()).toBe(polledWhileStalled);
    expect(sink.writesStarted).toBe(1);
    expect(sink.written).toHaveLength(0);
    expect(polledWhileStalled).toBeLessThanOrEqual(100 + 2 * 10);
    expect(sinkOp.pending()).toBe(polledWhileStalled);
    expect(sinkOp.maxPending).toBeLessThanOrEqual(100 + 2 * 10);

    sink.release();
    const result = await running;
    expect(result.finished).toBe(true);
    expect(sink.written).toHaveLength(2 * N);
    expect([...sink.written].sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * N }, (_, i) => i * 2));
    // Per partition, order is kept.
    const p0 = sink.written.filter((x) => x < 2 * N);
    expect(p0).toEqual([...p0].sort((a, b) => a - b));
    expect(sinkOp.maxPending).toBeLessThanOrEqual(100 + 2 * 10);
  });

  test('an asynchronous checkpoint waits for every earlier write to be acknowledged', async () => {
    const source = new InMemorySource<number>([[1, 2, 3, 4, 5]]);
    const sink = new StallingSink();
    const storage = new InMemoryCheckpointStorage();
    const env = StreamExecutionEnvironment.create({
      maxBatchSize: 2,
      clock: new ManualClock(0),
      checkpointStorage: storage,
    });
    env
      .fromSource(source, WatermarkStrategy.noWatermarks<number>())
      .sinkTo(sink, { batchSize: 1, capacity: 10 });
    const job = env.createJob('ckpt');
    await job.stepAsync();
    let done = false;
    const ckpt = job.checkpointAsync().then((c) => {
      done = true;
      return c;
    });
    await ticks(20);
    expect(done).toBe(false);
    sink.release();
    const c = await ckpt;
    expect(sink.written).toEqual([1, 2]);
    expect(c.tasks[0]?.partitions[0]?.offset).toBe('2');
    expect(storage.latest('ckpt')?.checkpointId).toBe(c.checkpointId);
  });

  test('a failing sink fails the job with the cause', async () => {
    const env = StreamExecutionEnvironment.create({ clock: new ManualClock(0) });
    const boom = new Error('table is gone');
    env
      .fromSource(new InMemorySource<number>([[1, 2, 3]]), WatermarkStrategy.noWatermarks<number>())
      .sinkTo({ createWriter: () => ({ write: () => Promise.reject(boom) }) }, { batchSize: 1, capacity: 1 });
    await expect(env.execute('fail')).rejects.toMatchObject({
      message: expect.stringMatching(/failed to write/),
      cause: boom,
    });
  });
});
