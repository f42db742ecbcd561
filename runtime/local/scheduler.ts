/** A task the in-process scheduler runs every `everyMs` (never two runs of one task at once). */
export interface ScheduledTask {
  readonly name: string;
  readonly everyMs: number;
  run(signal: AbortSignal): Promise<void> | void;
}

/** The embedded runtime's stand-in for EventBridge Scheduler. */
export interface Scheduler {
  add(task: ScheduledTask): void;
  /** Stops scheduling and waits for running tasks (their signal is aborted). */
  stop(): Promise<void>;
}

/** Creates the in-process scheduler; a failing run is reported to `onError` and tried again next time. */
export function createScheduler(onError: (task: string, error: unknown) => void): Scheduler {
  const controller = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  return {
    add(task) {
      let busy = false;
      const timer = setInterval(() => {
        if (busy || controller.signal.aborted) return;
        busy = true;
        const run = (async () => {
          try {
            await task.run(controller.signal);
          } catch (error: unknown) {
            onError(task.name, error);
          } finally {
            busy = false;
          }
        })();
        running.add(run);
        void run.finally(() => running.delete(run));
      }, task.everyMs);
      timer.unref();
      timers.push(timer);
    },
    async stop() {
      controller.abort();
      for (const t of timers) clearInterval(t);
      await Promise.all([...running]);
    },
  };
}
