/**
 * Lambda entry of the idle tick (EventBridge Scheduler → fire due timers of idle shards against the
 * job state). Reads env once, builds clients once, wires `createIdleTick`.
 */
import type { Context } from 'aws-lambda';
import { lazyHandler } from './shared/lazy-handler';
import { createIdleTick, type IdleTickOutcome } from './stream/idle-tick-handler';
import { streamDepsFromEnv } from './stream/stream-deps';

export const handler = lazyHandler<unknown, Context, IdleTickOutcome>(async () =>
  createIdleTick({}, streamDepsFromEnv('idle-tick', process.env)),
);
