// An open-loop HTTP load generator: request i is due at start + i / rate whatever happened to the ones
// before it, and its latency is measured from that due time to the end of its response body, so a
// stalled server (or a stalled generator) shows up in the figures instead of slowing the arrivals down
// (no coordinated omission). Times come from performance.now() (sub-microsecond resolution).
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { type LatencySummary, summarizeLatencies } from './latency-summary';

/** One request of the cycle the generator sends. */
export interface OpenLoopRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/v1/profiles/p1`. */
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What to send, how fast, for how long. */
export interface OpenLoopOptions {
  /** Origin, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** Requests per second, fixed. */
  readonly rate: number;
  readonly durationS: number;
  /** Keep-alive connections of the pool (HTTP/1.1, no pipelining). */
  readonly connections: number;
  /** Sent in order, cycling when the run needs more. */
  readonly requests: readonly OpenLoopRequest[];
  /** Headers of every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses that count as success; any other is an error. */
  readonly expectStatus: readonly number[];
  /** A request without a full answer after this long is an error (default 10 s). */
  readonly timeoutMs?: number;
}

/** What a run measured; latencies in microseconds. */
export interface OpenLoopResult {
  readonly scheduled: number;
  readonly succeeded: number;
  /** Answers with a status outside `expectStatus`, by status. */
  readonly unexpectedStatus: Readonly<Record<string, number>>;
  /** Transport failures and timeouts. */
  readonly failed: number;
  readonly firstError?: string;
  /** Succeeded requests per second between the first due time and the last completion. */
  readonly achievedRate: number;
  /** From the due time to the end of the body: the figure to hold against a target. */
  readonly latencyUs: LatencySummary;
  /** From the moment the request was handed to the pool to the end of the body. */
  readonly serviceUs: LatencySummary;
  /** How late the generator handed requests to the pool (its own scheduling delay). */
  readonly sendLagUs: LatencySummary;
  /** CPU time (user + system) the generator's process used during the run. */
  readonly generatorCpuMs: number;
}

/** Runs one open-loop load against `options.url`; resolves once every request has an outcome. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new Pool(options.url, {
    connections: options.connections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const total = Math.max(1, Math.round(options.rate * options.durationS));
  const intervalMs = 1000 / options.rate;
  const latency = new Float64Array(total).fill(Number.NaN);
  const service = new Float64Array(total).fill(Number.NaN);
  const sendLag = new Float64Array(total);
  const unexpectedStatus: Record<string, number> = {};
  let failed = 0;
  let firstError: string | undefined;
  let settled = 0;
  let lastDone = 0;
  const cpuBefore = process.cpuUsage();

  // open every connection (with the cycle's first request) before the clock starts, so that the run
  // measures requests, not TCP handshakes
  const first = options.requests[0]!;
  await Promise.all(
    Array.from({ length: options.connections }, () =>
      pool
        .request({
          method: first.method ?? 'GET',
          path: first.path,
          headers: { ...options.headers, ...first.headers },
          ...(first.body === undefined ? {} : { body: first.body }),
        })
        .then((r) => r.body.dump())
        .catch(() => undefined),
    ),
  );

  const start = performance.now() + 5;
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      settled++;
      if (settled === total) resolve();
    };
    const send = (i: number): void => {
      const due = start + i * intervalMs;
      const sentAt = performance.now();
      sendLag[i] = (sentAt - due) * 1000;
      const request = options.requests[i % options.requests.length]!;
      pool
        .request({
          method: request.method ?? 'GET',
          path: request.path,
          headers: { ...options.headers, ...request.headers },
          ...(request.body === undefined ? {} : { body: request.body }),
        })
        .then(async (response) => {
          await response.body.dump({ limit: 16 * 2 ** 20 });
          const done = performance.now();
          lastDone = Math.max(lastDone, done);
          if (options.expectStatus.includes(response.statusCode)) {
            latency[i] = (done - due) * 1000;
            service[i] = (done - sentAt) * 1000;
          } else {
            unexpectedStatus[response.statusCode] = (unexpectedStatus[response.statusCode] ?? 0) + 1;
          }
        })
        .catch((error: unknown) => {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        })
        .finally(finish);
    };
    let next = 0;
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) send(next++);
      if (next >= total) return;
      const wait = start + next * intervalMs - performance.now();
      // sleep only when the next request is far off; otherwise spin through the event loop (I/O is
      // still polled on every turn) so that requests leave on time instead of in 1 ms timer bursts
      if (wait > 2) setTimeout(tick, wait - 1);
      else setImmediate(tick);
    };
    tick();
  });
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();

  const ok = (values: Float64Array) => values.filter((v) => !Number.isNaN(v));
  const succeeded = ok(latency);
  return {
    scheduled: total,
    succeeded: succeeded.length,
    unexpectedStatus,
    failed,
    ...(firstError === undefined ? {} : { firstError }),
    achievedRate: lastDone > start ? (succeeded.length * 1000) / (lastDone - start) : 0,
    latencyUs: summarizeLatencies(succeeded),
    serviceUs: summarizeLatencies(ok(service)),
    sendLagUs: summarizeLatencies(sendLag),
    generatorCpuMs: (cpu.user + cpu.system) / 1000,
  };
}
