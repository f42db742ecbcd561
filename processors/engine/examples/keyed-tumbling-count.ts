// A keyed tumbling count: page views per user per minute, by event time, tolerating 5 s of disorder.
// Run it: npx tsx processors/engine/examples/keyed-tumbling-count.ts
import {
  type AggregateFunction,
  CollectSink,
  InMemorySource,
  type ProcessWindowFunction,
  runToCompletion,
  StreamExecutionEnvironment,
  type TimeWindow,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../index';

export interface PageView {
  userId: string;
  url: string;
  timestamp: string; // ISO-8601, like the canonical event
}

export interface UserMinute {
  userId: string;
  minuteStart: string;
  views: number;
}

const countViews: AggregateFunction<PageView, number, number> = {
  createAccumulator: () => 0,
  add: (_view, count) => count + 1,
  merge: (a, b) => a + b,
  getResult: (count) => count,
};

const withUserAndMinute: ProcessWindowFunction<number, UserMinute, string, TimeWindow> = {
  process(userId, ctx, counts, out) {
    for (const views of counts) {
      out.collect({ userId, minuteStart: new Date(ctx.window().start).toISOString(), views });
    }
  },
};

/** Counts page views per user and minute over `views`, spread over two partitions (shards). */
export function keyedTumblingCount(views: readonly PageView[]): UserMinute[] {
  const env = StreamExecutionEnvironment.create();
  const results = new CollectSink<UserMinute>();
  env
    .fromSource(
      // Partitioned by user, as a Kinesis stream with partitionKey = userId would be.
      InMemorySource.fromElements(views, 2, (v) => (v.userId === 'alice' ? 0 : 1)),
      WatermarkStrategy.forBoundedOutOfOrderness<PageView>(5_000).withTimestampAssigner((v) =>
        Date.parse(v.timestamp),
      ),
      'page-views',
    )
    .keyBy((v) => v.userId)
    .window(TumblingEventTimeWindows.of(60_000))
    .aggregate(countViews, withUserAndMinute, 'views-per-minute')
    .sinkTo(results);
  runToCompletion(env, 'keyed-tumbling-count');
  return results.values;
}

export const sampleViews: PageView[] = [
  { userId: 'alice', url: '/', timestamp: '2026-01-01T10:00:05.000Z' },
  { userId: 'bob', url: '/pricing', timestamp: '2026-01-01T10:00:30.000Z' },
  { userId: 'alice', url: '/docs', timestamp: '2026-01-01T10:00:59.999Z' },
  { userId: 'alice', url: '/blog', timestamp: '2026-01-01T10:01:02.000Z' },
  { userId: 'alice', url: '/docs/api', timestamp: '2026-01-01T10:00:58.000Z' }, // 4 s out of order: still counted
  { userId: 'bob', url: '/signup', timestamp: '2026-01-01T10:02:10.000Z' },
];

if (require.main === module) {
  for (const r of keyedTumblingCount(sampleViews)) console.log(r);
}
