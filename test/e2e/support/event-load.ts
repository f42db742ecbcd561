/**
 * A deterministic load of Segment calls for end-to-end tests and benchmarks: `users` people, each
 * browsing anonymously, identifying with an email and a user id, viewing pages and buying. Every call
 * has a fixed `messageId` (`m-<i>`), so a resent call is the same event.
 */
export function generateEventLoad(
  count: number,
  users = 2_000,
  startMs = Date.UTC(2026, 11, 1),
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const u = (i * 7919) % users; // spread each user's events over the whole load
    const step = Math.floor(i / users);
    const timestamp = new Date(startMs + i * 1_000).toISOString();
    const anonymousId = `anon-${u}`;
    const base = { messageId: `m-${i}`, anonymousId, timestamp };
    if (step === 0) {
      out[i] = {
        ...base,
        type: 'page',
        name: 'Home',
        properties: { path: '/', url: 'https://shop.example/' },
      };
    } else if (step === 1) {
      out[i] = {
        ...base,
        type: 'identify',
        userId: `user-${u}`,
        traits: { email: `person${u}@example.org`, plan: 'free' },
      };
    } else if (i % 5 === 0) {
      out[i] = {
        ...base,
        userId: `user-${u}`,
        type: 'track',
        event: 'Order Completed',
        properties: { revenue: 10 + (i % 90), currency: 'USD', orderId: `o-${i}` },
      };
    } else {
      out[i] = {
        ...base,
        userId: `user-${u}`,
        type: 'page',
        name: 'Product',
        properties: { path: `/p/${i % 50}`, url: `https://shop.example/p/${i % 50}` },
      };
    }
  }
  return out;
}
