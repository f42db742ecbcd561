import type { CanonicalEvent } from '../../contracts/canonical-event';

/**
 * Seed-like traffic: people browse anonymously, sign up with an e-mail, log in with a user id on a
 * second device and keep using it (page views, purchases, custom events), 1% duplicate deliveries,
 * in roughly time order with small disorder. Deterministic (seeded).
 */
export function generateJourneyEvents(n: number, people = Math.max(1, Math.floor(n / 25))): CanonicalEvent[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const T0 = Date.parse('2026-10-01T00:00:00.000Z');
  const out: CanonicalEvent[] = [];
  const stage = new Uint8Array(people);
  let t = T0;
  for (let i = 0; out.length < n; i++) {
    const p = Math.floor(rand() * people);
    t += Math.floor(rand() * 400);
    const jitter = Math.floor(rand() * 20_000);
    const timestamp = new Date(t - jitter).toISOString();
    const s = stage[p] as number;
    const anon = `anon-${p}-a`;
    let identity: CanonicalEvent['identity'];
    let eventName = 'page_view';
    let type: CanonicalEvent['type'] = 'page';
    let properties: Record<string, unknown> = {
      url: `https://shop.example.org/p/${i % 50}`,
      title: 'Product',
    };
    let traits: Record<string, unknown> = {};
    if (s < 3) identity = { anonymousId: anon };
    else if (s === 3) {
      identity = { anonymousId: anon, email: `person${p}@example.org` };
      eventName = 'signup';
      type = 'track';
      properties = { plan: 'pro' };
    } else if (s === 4) {
      identity = { anonymousId: `anon-${p}-b`, userId: `user-${p}`, email: `person${p}@example.org` };
      eventName = 'identify';
      type = 'identify';
      properties = {};
      traits = { name: `Person ${p}`, plan: rand() < 0.5 ? 'pro' : 'free' };
    } else {
      identity = { userId: `user-${p}`, anonymousId: `anon-${p}-b` };
      const r = rand();
      if (r < 0.1) {
        eventName = 'purchase';
        type = 'track';
        properties = { amount: Math.round(rand() * 20000) / 100 };
      } else if (r < 0.15) {
        eventName = 'Order Completed';
        type = 'track';
        properties = { revenue: Math.round(rand() * 20000) / 100, order_id: `o-${i}` };
      } else if (r < 0.3) {
        eventName = 'Product Viewed';
        type = 'track';
        properties = { product_id: `sku-${i % 500}` };
      }
    }
    if (s < 6) stage[p] = s + 1;
    const event: CanonicalEvent = {
      eventId: `0193-${i.toString(16).padStart(10, '0')}`,
      type,
      eventName,
      timestamp,
      receivedAt: new Date(t).toISOString(),
      source: 'web',
      identity,
      properties,
      traits,
      context: { library: { name: 'analytics.js', version: '2.1.0' }, userAgent: 'Mozilla/5.0' },
    };
    out.push(event);
    if (rand() < 0.01 && out.length < n) out.push(event); // a duplicate delivery
  }
  return out;
}
