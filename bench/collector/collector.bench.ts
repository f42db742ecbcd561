// Collector throughput: /v1/batch (100 events per request) and single /v1/track, each against a bare
// Fastify route that parses the same JSON and answers 200, in the same run. Servers run in their own
// process (one core each at most); autocannon drives them from this one.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { report } from '../lib/report';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 32;
const AUTH = `Basic ${Buffer.from('bench-key:').toString('base64')}`;

/** A realistic mix: 60% track, 20% page, 10% identify (email + phone), 5% screen, 5% group. */
function event(i: number): Record<string, unknown> {
  const user = `user-${i % 37}`;
  const base = {
    messageId: `msg-${i}-${'0'.repeat(20)}`,
    anonymousId: `anon-${(i * 7919) % 1000}-7d1c2f0e`,
    userId: i % 3 === 0 ? undefined : user,
    timestamp: new Date(Date.UTC(2024, 4, 1, 12, 0, i % 60)).toISOString(),
    context: {
      library: { name: 'analytics-node', version: '2.1.0' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
      page: { path: '/products/42', url: 'https://shop.example/products/42', title: 'Product 42' },
      campaign: { source: 'newsletter', medium: 'email', name: 'spring' },
    },
  };
  const k = i % 20;
  if (k < 12) {
    return {
      ...base,
      type: 'track',
      event: k % 2 === 0 ? 'Product Viewed' : 'Order Completed',
      properties: { productId: `p-${i % 50}`, price: 19.99, currency: 'EUR', quantity: 1 + (i % 3) },
    };
  }
  if (k < 16) return { ...base, type: 'page', name: 'Product', properties: { category: 'shoes' } };
  if (k < 18) {
    return {
      ...base,
      type: 'identify',
      userId: user,
      traits: {
        email: `${user}@Example.com`,
        phone: `+1 415 555 ${String(1000 + (i % 37)).slice(-4)}`,
        plan: 'pro',
      },
    };
  }
  if (k < 19) return { ...base, type: 'screen', name: 'Cart' };
  return { ...base, type: 'group', groupId: `acct-${i % 5}`, traits: { name: 'Acme', employees: 40 } };
}

const BATCH = JSON.stringify({
  batch: Array.from({ length: 100 }, (_, i) => event(i)),
  sentAt: new Date().toISOString(),
});
const SINGLE = JSON.stringify(event(1));

function startServer(mode: 'collector' | 'bare'): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'bench-server.ts'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, child });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

interface Run {
  reqPerSec: number;
  p99Ms: number;
  non2xx: number;
}

async function load(url: string, path: string, body: string, duration: number): Promise<Run> {
  const result = await autocannon({
    url: `${url}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTH },
    body,
    connections: CONNECTIONS,
    duration,
  });
  return {
    reqPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

async function measure(mode: 'collector' | 'bare'): Promise<{ batch: Run; single: Run }> {
  const { url, child } = await startServer(mode);
  try {
    await load(url, '/v1/batch', BATCH, 2); // warm-up (JIT)
    const batch = await load(url, '/v1/batch', BATCH, DURATION_S);
    await load(url, '/v1/track', SINGLE, 2);
    const single = await load(url, '/v1/track', SINGLE, DURATION_S);
    return { batch, single };
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const bare = await measure('bare');
  const collector = await measure('collector');
  if (collector.batch.non2xx > 0 || collector.single.non2xx > 0) {
    throw new Error(`collector answered non-2xx: ${collector.batch.non2xx + collector.single.non2xx}`);
  }
  const eventsPerSec = collector.batch.reqPerSec * 100;
  const bareEventsPerSec = bare.batch.reqPerSec * 100;
  const singleRatio = collector.single.reqPerSec / bare.single.reqPerSec;
  report({
    title: 'Collector throughput',
    notes:
      `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per figure after a 2 s warm-up; each server in its own ` +
      `process; batch body ${BATCH.length} bytes (100 mixed Segment calls), single /v1/track ${SINGLE.length} bytes. ` +
      'Baseline: a bare Fastify route that parses the same JSON (default parser) and answers 200. The collector ' +
      'validates, normalizes and appends to the in-memory event log before answering.',
    rows: [
      {
        metric: '/v1/batch throughput',
        value: eventsPerSec,
        unit: 'events/s',
        baseline: bareEventsPerSec,
        baselineName: 'bare Fastify parse + 200',
        ratio: eventsPerSec / bareEventsPerSec,
        target: '≥ 150,000 events/s',
        met: eventsPerSec >= 150_000,
      },
      {
        metric: '/v1/track throughput',
        value: collector.single.reqPerSec,
        unit: 'req/s',
        baseline: bare.single.reqPerSec,
        baselineName: 'bare Fastify parse + 200',
        ratio: singleRatio,
        target: '≥ 0.75× bare',
        met: singleRatio >= 0.75,
      },
      {
        metric: '/v1/batch p99 latency (ratio = bare/collector)',
        value: collector.batch.p99Ms,
        unit: 'ms',
        baseline: bare.batch.p99Ms,
        baselineName: 'bare',
        ratio: bare.batch.p99Ms / collector.batch.p99Ms,
      },
      {
        metric: '/v1/track p99 latency (ratio = bare/collector)',
        value: collector.single.p99Ms,
        unit: 'ms',
        baseline: bare.single.p99Ms,
        baselineName: 'bare',
        ratio: bare.single.p99Ms / collector.single.p99Ms,
      },
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
