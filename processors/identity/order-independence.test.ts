import fc from 'fast-check';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { IdentityConfig } from './config';
import { createIdentifierFilter, extractIdentifiers } from './extract-identifiers';
import { profileIdFor } from './profile-id';
import { createIdentityResolver } from './resolver';
import { identityEvent } from './test-support';

/**
 * Property: over random journeys (shared devices, duplicates, aliases, blocked values, late events),
 * every arrival order gives the same profiles with the same ids, and they equal a from-scratch
 * reference that sorts every link by event time and applies the documented rules.
 */

const config = IdentityConfig.parse({});
const filter = createIdentifierFilter(config);

/** Tie order of identifiers: type name, then value (keys are `type:value`). */
function cmpKeys(x: string, y: string): number {
  const [tx, vx] = [x.slice(0, x.indexOf(':')), x.slice(x.indexOf(':') + 1)];
  const [ty, vy] = [y.slice(0, y.indexOf(':')), y.slice(y.indexOf(':') + 1)];
  if (tx !== ty) return tx < ty ? -1 : 1;
  return vx < vy ? -1 : vx > vy ? 1 : 0;
}

/** Reference outcome: identifier key → profile id, computed naively from the whole set of events. */
function reference(
  events: readonly CanonicalEvent[],
  severed: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const priority = (key: string) => {
    const type = key.slice(0, key.indexOf(':'));
    return config.priorities[type] ?? config.customTypePriority;
  };
  const firstSeen = new Map<string, number>();
  const links = new Map<string, { a: string; b: string; t: number; e: string }>();
  const cmp = (x: { a: string; b: string; t: number; e: string }, y: typeof x) =>
    x.t !== y.t
      ? x.t - y.t
      : x.e !== y.e
        ? x.e < y.e
          ? -1
          : 1
        : x.a !== y.a
          ? x.a < y.a
            ? -1
            : 1
          : x.b < y.b
            ? -1
            : x.b > y.b
              ? 1
              : 0;
  for (const event of events) {
    const keys = extractIdentifiers(event, config.previousIdType, filter).identifiers.map(
      (i) => `${i.type}:${i.value}`,
    );
    const t = Date.parse(event.timestamp);
    for (const k of keys) firstSeen.set(k, Math.min(firstSeen.get(k) ?? Number.POSITIVE_INFINITY, t));
    if (keys.length < 2) continue;
    const hub = [...keys].sort((x, y) => priority(y) - priority(x) || cmpKeys(x, y))[0]!;
    for (const other of keys) {
      if (other === hub) continue;
      const link = { a: hub, b: other, t, e: event.eventId };
      const pair = hub < other ? `${hub}|${other}` : `${other}|${hub}`;
      const existing = links.get(pair);
      if (!existing || cmp(link, existing) < 0) links.set(pair, link);
    }
  }
  const parent = new Map<string, string>();
  const users = new Map<string, number>();
  for (const k of firstSeen.keys()) {
    parent.set(k, k);
    users.set(k, k.startsWith('user_id:') ? 1 : 0);
  }
  const find = (k: string): string => {
    while (parent.get(k) !== k) k = parent.get(k)!;
    return k;
  };
  for (const [pair, l] of [...links].sort((x, y) => cmp(x[1], y[1]))) {
    if (severed.has(pair)) continue;
    const ra = find(l.a);
    const rb = find(l.b);
    if (ra === rb || users.get(ra)! + users.get(rb)! > 1) continue;
    parent.set(rb, ra);
    users.set(ra, users.get(ra)! + users.get(rb)!);
  }
  const better = (x: string, y: string) =>
    priority(x) !== priority(y)
      ? priority(x) > priority(y)
      : firstSeen.get(x) !== firstSeen.get(y)
        ? firstSeen.get(x)! < firstSeen.get(y)!
        : cmpKeys(x, y) < 0;
  const anchor = new Map<string, string>();
  for (const k of firstSeen.keys()) {
    const r = find(k);
    const a = anchor.get(r);
    if (a === undefined || better(k, a)) anchor.set(r, k);
  }
  return new Map(
    [...firstSeen.keys()].map((k) => [k, profileIdFor(anchor.get(find(k))!, config.profileIdPrefix, '')]),
  );
}

/** The resolver's outcome after resolving `events` in the given order. */
function resolveAll(events: readonly CanonicalEvent[], keys: readonly string[]): Map<string, string> {
  const r = createIdentityResolver();
  for (const e of events) r.resolve(e);
  return new Map(
    keys.map((k) => {
      const i = k.indexOf(':');
      return [k, r.lookup({ type: k.slice(0, i), value: k.slice(i + 1) })?.profileId ?? 'missing'];
    }),
  );
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const step = fc.record({
  person: fc.integer({ min: 0, max: 3 }),
  device: fc.integer({ min: 0, max: 3 }),
  minute: fc.integer({ min: 0, max: 8 }),
  withUser: fc.boolean(),
  withDevice: fc.boolean(),
  withEmail: fc.boolean(),
  withPhone: fc.boolean(),
  alias: fc.boolean(),
  blocked: fc.constantFrom('none', 'null-user', 'test-email', 'anonymous-device'),
  duplicate: fc.boolean(),
});

/** A journey: people sharing a few devices, some signing in, aliasing, with junk values and duplicates. */
const journey = fc.array(step, { minLength: 1, maxLength: 24 }).map((steps) => {
  const events: CanonicalEvent[] = [];
  steps.forEach((s, i) => {
    const ts = `2026-02-01T10:0${s.minute}:00.000Z`;
    const userId = s.blocked === 'null-user' ? 'null' : s.withUser ? `u${s.person}` : undefined;
    const device = s.blocked === 'anonymous-device' ? 'anonymous' : `device-${s.device}`;
    const email =
      s.blocked === 'test-email' ? 'test@example.com' : s.withEmail ? `p${s.person}@mail.io` : undefined;
    const phone = s.withPhone ? `+1415555267${s.person}` : undefined;
    const event = s.alias
      ? identityEvent(`e${i}`, ts, { userId: `u${s.person}`, previousId: device }, 'alias')
      : identityEvent(`e${i}`, ts, {
          userId,
          anonymousId: s.withDevice || !userId ? device : undefined,
          email,
          phone,
        });
    events.push(event);
    if (s.duplicate) events.push(event);
  });
  return events;
});

describe('identity resolution is independent of arrival order', () => {
  it('gives identical profiles and ids for 600 random permutations of 100 journeys, equal to the reference', () => {
    let permutations = 0;
    fc.assert(
      fc.property(journey, fc.array(fc.integer(), { minLength: 6, maxLength: 6 }), (events, seeds) => {
        const expected = reference(events);
        const keys = [...expected.keys()];
        expect(resolveAll(events, keys)).toEqual(expected);
        for (const seed of seeds.slice(1)) {
          expect(resolveAll(shuffled(events, seed), keys)).toEqual(expected);
        }
        permutations += seeds.length;
      }),
      { numRuns: 100 },
    );
    expect(permutations).toBeGreaterThanOrEqual(600);
  });

  it('gives the same outcome when the events are replayed in reverse time order (a backfill)', () => {
    fc.assert(
      fc.property(journey, (events) => {
        const expected = reference(events);
        const backwards = [...events].sort((a, b) => b.timestamp.localeCompare(a.timestamp));
        expect(resolveAll(backwards, [...expected.keys()])).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same outcome whether an unmerge happens before or after the events that cross the cut', () => {
    fc.assert(
      fc.property(journey, fc.integer(), fc.nat(), (events, seed, cutAt) => {
        const r0 = createIdentityResolver();
        for (const e of events) r0.resolve(e);
        // Pick a link that exists: the first two identifiers of the first multi-identifier event.
        const withTwo = events
          .map((e) => extractIdentifiers(e, config.previousIdType, filter).identifiers)
          .find((ids) => ids.length >= 2);
        fc.pre(withTwo !== undefined);
        const [a, b] = withTwo!;
        const ordered = [a!, b!].map((i) => `${i.type}:${i.value}`);
        const priority = (k: string) => config.priorities[k.slice(0, k.indexOf(':'))] ?? 0;
        // Only a cut of a real link (from the hub) is a valid request; choose the hub end.
        const all = withTwo!.map((i) => `${i.type}:${i.value}`);
        const hub = [...all].sort((x, y) => priority(y) - priority(x) || cmpKeys(x, y))[0]!;
        const other = ordered[0] === hub ? ordered[1]! : ordered[0]!;
        const pair = hub < other ? `${hub}|${other}` : `${other}|${hub}`;
        const expected = reference(events, new Set([pair]));
        const order = shuffled(events, seed);
        const at = cutAt % (order.length + 1);
        const r = createIdentityResolver();
        let cut = false;
        const doCut = () => {
          const [ht, ...hv] = hub.split(':');
          const [ot, ...ov] = other.split(':');
          const res = r.unmerge({
            kind: 'link',
            a: { type: ht!, value: hv.join(':') },
            b: { type: ot!, value: ov.join(':') },
          });
          cut = res.ok;
        };
        order.forEach((e, i) => {
          if (i === at) doCut();
          r.resolve(e);
        });
        if (!cut) doCut();
        expect(cut).toBe(true);
        for (const [k, id] of expected) {
          const i = k.indexOf(':');
          expect([k, r.lookup({ type: k.slice(0, i), value: k.slice(i + 1) })?.profileId]).toEqual([k, id]);
        }
      }),
      { numRuns: 100 },
    );
  });
});
