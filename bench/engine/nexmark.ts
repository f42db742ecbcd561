// Nexmark-shaped bids, generated before timing starts: the benchmarks measure the engine, not the generator.

/** A Nexmark bid (the fields of Nexmark's Bid event). */
export interface Bid {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same events. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
// Nexmark draws URLs from a small set; sharing the strings keeps the input's heap small.
const URLS = Array.from({ length: 97 }, (_, i) => `https://www.nexmark.com/item.htm?query=${i}`);

/**
 * `n` bids at `perMs` bids per millisecond of event time, up to `jitterMs` out of order, over `auctions`
 * hot auctions and `bidders` bidders (Nexmark's skew: most bids go to few auctions).
 */
export function generateBids(
  n: number,
  opts: { perMs?: number; jitterMs?: number; auctions?: number; bidders?: number } = {},
): Bid[] {
  const perMs = opts.perMs ?? 10;
  const jitter = opts.jitterMs ?? 200;
  const auctions = opts.auctions ?? 1000;
  const bidders = opts.bidders ?? 10_000;
  const r = rng(42);
  const base = Date.UTC(2026, 0, 1);
  const bids: Bid[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const hot = r() < 0.5;
    bids[i] = {
      auction: hot ? Math.floor(r() * (auctions / 10)) : Math.floor(r() * auctions),
      bidder: Math.floor(r() * bidders),
      price: Math.floor(r() * 10_000) + 1,
      channel: CHANNELS[i % CHANNELS.length] as string,
      url: URLS[i % 97] as string,
      dateTime: base + Math.floor(i / perMs) - Math.floor(r() * jitter),
      extra: '',
    };
  }
  return bids;
}

/** Flink's published Nexmark throughput per core (Flink 1.13, 8 cores per node) — context, not measured here. */
export const FLINK_PUBLISHED_NOTE =
  "Context, **published, not measured here**: Flink's Nexmark results (Flink 1.13, 8 cores/node) per core: " +
  'q7 12.3k ev/s, q5 22.1k ev/s, q11 39.7k ev/s. Those queries do more (network shuffles, RocksDB state, ' +
  'real Nexmark q7/q5 semantics, durable checkpoints) than these in-process shapes, so the numbers are not comparable head to head.';
