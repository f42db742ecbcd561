// Sessions with late data: per-user sessions (30 min gap), results re-fired for late events within
// 1 hour of allowed lateness, and anything later sent to a side output instead of being dropped.
// Run it: npx tsx processors/engine/examples/sessions-with-late-data.ts
import {
  type AggregateFunction,
  CollectSink,
  EventTimeSessionWindows,
  InMemorySource,
  OutputTag,
  runToCompletion,
  StreamExecutionEnvironment,
  WatermarkStrategy,
} from '../index';

export interface Click {
  userId: string;
  at: number; // epoch ms
}

export interface Session {
  userId: string;
  start: number;
  end: number;
  clicks: number;
}

const MIN = 60_000;

const countClicks: AggregateFunction<Click, number, number> = {
  createAccumulator: () => 0,
  add: (_c, n) => n + 1,
  merge: (a, b) => a + b,
  getResult: (n) => n,
};

/** Runs the session job; returns every (re-)fired session and the clicks that came too late. */
export function sessionsWithLateData(clicks: readonly Click[]): { sessions: Session[]; tooLate: Click[] } {
  const env = StreamExecutionEnvironment.create({ maxBatchSize: 1 }); // one click per poll: watermarks move between clicks
  const tooLateTag = new OutputTag<Click>('too-late');
  const sessions = new CollectSink<Session>();
  const tooLate = new CollectSink<Click>();
  const result = env
    .fromSource(
      InMemorySource.fromElements(clicks),
      WatermarkStrategy.forBoundedOutOfOrderness<Click>(MIN).withTimestampAssigner((c) => c.at),
    )
    .keyBy((c) => c.userId)
    .window(EventTimeSessionWindows.withGap(30 * MIN))
    .allowedLateness(60 * MIN)
    .sideOutputLateData(tooLateTag)
    .aggregate<number, number, Session>(countClicks, {
      process(userId, ctx, counts, out) {
        for (const n of counts)
          out.collect({ userId, start: ctx.window().start, end: ctx.window().end, clicks: n });
      },
    });
  result.sinkTo(sessions);
  result.getSideOutput(tooLateTag).sinkTo(tooLate);
  runToCompletion(env, 'sessions-with-late-data');
  return { sessions: sessions.values, tooLate: tooLate.values };
}

export const sampleClicks: Click[] = [
  { userId: 'u1', at: 0 },
  { userId: 'u1', at: 10 * MIN }, // session A: [0, 40 min)
  { userId: 'u1', at: 50 * MIN }, // session B: [50, 80 min)
  { userId: 'u1', at: 90 * MIN }, // watermark (89 min) passes A and B: both fire
  { userId: 'u1', at: 25 * MIN }, // late, within lateness: bridges A and B → one session fires again
  { userId: 'u1', at: 300 * MIN }, // watermark moves far ahead
  { userId: 'u1', at: 30 * MIN }, // beyond lateness: side output
];

if (require.main === module) {
  const { sessions, tooLate } = sessionsWithLateData(sampleClicks);
  for (const s of sessions) console.log('session', s);
  for (const c of tooLate) console.log('too late', c);
}
