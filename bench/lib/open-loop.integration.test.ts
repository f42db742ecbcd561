import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OpenLoopOptions, type OpenLoopResult, runOpenLoop } from './open-loop';
import { goOpenLoopBinary, startGoOpenLoop } from './open-loop-go';

/** Runs one load with the Go build of the generator, in its own process, stopped afterwards. */
async function runGoOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const binary = goOpenLoopBinary();
  if (!('path' in binary)) throw new Error(binary.unavailable);
  const generator = await startGoOpenLoop(binary.path);
  try {
    return await generator.run(options);
  } finally {
    generator.stop();
  }
}

// The Go build needs a Go toolchain: skipped loudly on a laptop without one, required when CI=true.
const go = goOpenLoopBinary();
if (!('path' in go) && process.env.CI !== 'true') {
  console.warn(`SKIPPING the Go load generator's tests: ${go.unavailable}`);
}
const generators: [string, (options: OpenLoopOptions) => Promise<OpenLoopResult>][] = [
  ['Node (undici)', runOpenLoop],
  ...('path' in go || process.env.CI === 'true'
    ? [['Go (epoll)', runGoOpenLoop] as [string, typeof runOpenLoop]]
    : []),
];

/** A local HTTP server answering with `listener`: its origin, and how to stop it. */
async function serve(listener: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Only lower bounds on times here: a slow machine can make every latency longer, never shorter.
describe.each(generators)('the open-loop load generator, %s', (_name, runOpenLoop) => {
  it('sends rate × duration requests, cycling through the list with the given headers, and counts statuses', async () => {
    // Prepare
    const seen: string[] = [];
    const server = await serve((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers['x-run'] ?? ''}`);
      response.statusCode = request.url === '/fail' ? 500 : 200;
      response.end('{"ok":true}');
    });
    // Act
    const result = await runOpenLoop({
      url: server.url,
      rate: 200,
      durationS: 0.5,
      connections: 4,
      requests: [{ path: '/a' }, { path: '/fail' }],
      headers: { 'x-run': 'one' },
      expectStatus: [200],
    }).finally(server.close);
    // Assess: 100 measured requests, and 4 more that opened the connections before the clock started
    expect(result.scheduled).toBe(100);
    expect(result.succeeded).toBe(50);
    expect(result.unexpectedStatus).toEqual({ 500: 50 });
    expect(result.failed).toBe(0);
    expect(result.latencyUs.count).toBe(50);
    expect(seen.filter((s) => s === 'GET /a one')).toHaveLength(50 + 4);
    expect(seen.filter((s) => s === 'GET /fail one')).toHaveLength(50);
    expect(result.latencyUs.p50).toBeGreaterThan(0);
    expect(result.latencyUs.max).toBeGreaterThanOrEqual(result.latencyUs.p999);
  });

  it('measures from the due time: a stalled server shows in every request that was due during the stall', async () => {
    // Prepare: from the first measured request on (the 2 before it open the connections), the server
    // holds its answers for 300 ms. A closed-loop client on 2 connections would send 2 requests during
    // the stall and see 2 slow answers; here 20 requests are due in the first 200 ms of it.
    let arrived = 0;
    let stallUntil = 0;
    const server = await serve((_request, response) => {
      arrived++;
      if (arrived === 3) stallUntil = Date.now() + 300;
      setTimeout(() => response.end('{}'), Math.max(0, stallUntil - Date.now()));
    });
    // Act
    const result = await runOpenLoop({
      url: server.url,
      rate: 100,
      durationS: 0.2,
      connections: 2,
      requests: [{ path: '/a' }],
      expectStatus: [200],
    }).finally(server.close);
    // Assess: request i is due 10·i ms after the first and answered no sooner than 300 ms after it, so
    // it waited at least 300 − 10·i ms: the first 300 ms, the median (i = 9 or 10) about 200 ms
    expect(result.succeeded).toBe(20);
    expect(result.latencyUs.max).toBeGreaterThan(290_000);
    expect(result.latencyUs.p50).toBeGreaterThan(190_000);
  });

  it('counts refused connections as failures', async () => {
    // Prepare: a port nobody listens on any more
    const gone = await serve(() => undefined);
    await gone.close();
    // Act
    const result = await runOpenLoop({
      url: gone.url,
      rate: 100,
      durationS: 0.1,
      connections: 1,
      requests: [{ path: '/a' }],
      expectStatus: [200],
    });
    // Assess
    expect(result.scheduled).toBe(10);
    expect(result.succeeded).toBe(0);
    expect(result.failed).toBe(10);
    expect(result.firstError).toBeDefined();
  });
});
