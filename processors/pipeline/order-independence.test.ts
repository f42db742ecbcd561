import fc from 'fast-check';
import type { CanonicalEvent, CanonicalIdentity } from '../../contracts/canonical-event';
import type { ProfileDocument } from '../../contracts/profile';
import { asRecords, createTestPipeline, testRules } from './test-support';

jest.setTimeout(120_000);

const T0 = Date.parse('2026-05-04T08:00:00.000Z');
const NOW = Date.parse('2026-05-12T00:00:00.000Z');
const MIN = 60_000;
const DAY = 86_400_000;

interface Person {
  readonly userId: string;
  readonly email: string;
  readonly devices: readonly string[];
}

const people: Person[] = [0, 1, 2, 3].map((i) => ({
  userId: `user-${i}`,
  email: `person${i}@example.org`,
  devices: [`dev-${i}-a`, `dev-${i}-b`],
}));
const tablet = 'family-tablet';

/** One random event of a journey: who, which identifiers it carries, what and when. */
const arbEvent = fc.record({
  person: fc.integer({ min: 0, max: 3 }),
  ids: fc.constantFrom('anon', 'anon+email', 'anon+user', 'user', 'email', 'tablet', 'tablet+user', 'junk'),
  device: fc.integer({ min: 0, max: 1 }),
  name: fc.constantFrom(
    'page_view',
    'page_view',
    'purchase',
    'Order Completed',
    'signup',
    'identify',
    'clicked',
  ),
  minute: fc.integer({ min: 0, max: 4 * 24 * 60 }),
  amount: fc.integer({ min: 1, max: 30_000 }).map((c) => c / 100),
  trait: fc.constantFrom('free', 'pro'),
});

function toEvent(
  r: {
    person: number;
    ids: string;
    device: number;
    name: string;
    minute: number;
    amount: number;
    trait: string;
  },
  index: number,
): CanonicalEvent {
  const p = people[r.person] as Person;
  const device = p.devices[r.device] as string;
  const identity: CanonicalIdentity =
    r.ids === 'anon'
      ? { anonymousId: device }
      : r.ids === 'anon+email'
        ? { anonymousId: device, email: p.email }
        : r.ids === 'anon+user'
          ? { anonymousId: device, userId: p.userId }
          : r.ids === 'user'
            ? { userId: p.userId }
            : r.ids === 'email'
              ? { email: p.email }
              : r.ids === 'tablet'
                ? { anonymousId: tablet }
                : r.ids === 'tablet+user'
                  ? { anonymousId: tablet, userId: p.userId }
                  : { userId: 'null', email: 'test@example.com', anonymousId: device };
  const timestamp = new Date(T0 + r.minute * MIN).toISOString();
  return {
    eventId: `ev-${index}`,
    type: r.name === 'identify' ? 'identify' : r.name === 'page_view' ? 'page' : 'track',
    eventName: r.name,
    timestamp,
    receivedAt: timestamp,
    source: 'web',
    identity,
    properties:
      r.name === 'purchase'
        ? { amount: r.amount }
        : r.name === 'Order Completed'
          ? { revenue: r.amount }
          : r.name === 'page_view'
            ? { url: `https://x.example/${r.minute % 7}` }
            : {},
    traits: r.name === 'identify' ? { plan: r.trait } : {},
    context: {},
  };
}

/** A journey: events plus duplicate deliveries of some of them. */
const arbJourney = fc
  .tuple(fc.array(arbEvent, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }))
  .map(([raw, dupes]) => {
    const events = raw.map(toEvent);
    const duplicates = dupes.map((d) => events[d % events.length] as CanonicalEvent);
    return [...events, ...duplicates];
  });

const config = {
  outOfOrdernessMs: 10 * MIN,
  // Arrival order may be days off; windows accept it (beyond this, events go to the late output).
  profiles: { sessionAllowedLatenessMs: 10 * DAY },
};

interface Outcome {
  /** `mergedFrom` is history (ids that existed before a merge, which depends on what arrived first). */
  docs: Omit<ProfileDocument, 'updatedAt' | 'version' | 'appliedSequences' | 'mergedFrom'>[];
  memberships: unknown[];
  identity: (string | undefined)[];
  totalEvents: number;
  distinctEvents: number;
}

/** Runs events in one order (random batch sizes and flush points) and reads the stores. */
async function run(events: readonly CanonicalEvent[], batch: number, flushEvery: number): Promise<Outcome> {
  const t = createTestPipeline([asRecords(events)], {
    now: NOW,
    rules: testRules,
    config: { ...config, maxBatchSize: batch },
  });
  let round = 0;
  while (await t.pipeline.step()) {
    round++;
    if (round % flushEvery === 0) await t.pipeline.flush();
  }
  await t.pipeline.finish();
  const all = t.profiles.all().sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
  const memberships = [];
  for (const d of all) memberships.push(...(await t.segments.getMemberships(d.profileId)));
  const keys = new Set<string>();
  for (const e of events) {
    if (e.identity.userId !== undefined) keys.add(`user_id:${e.identity.userId}`);
    if (e.identity.email !== undefined) keys.add(`email:${e.identity.email}`);
    if (e.identity.anonymousId !== undefined) keys.add(`anonymous_id:${e.identity.anonymousId}`);
  }
  const identifiers = [...keys].sort().map((k) => {
    const at = k.indexOf(':');
    return { type: k.slice(0, at), value: k.slice(at + 1) };
  });
  return {
    docs: all.map(({ updatedAt: _u, version: _v, appliedSequences: _a, mergedFrom: _m, ...rest }) => rest),
    memberships,
    identity: identifiers.map((i) => t.pipeline.identity.profileIdOf(i)),
    totalEvents: all.reduce((n, d) => n + d.totalEvents, 0),
    distinctEvents: new Set(events.map((e) => e.eventId)).size,
  };
}

describe('the pipeline is independent of arrival order', () => {
  it('gives identical profiles, ids and memberships for 100 random journeys × 6 random orders', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        arbJourney,
        fc.array(fc.tuple(fc.integer(), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 })), {
          minLength: 5,
          maxLength: 5,
        }),
        async (events, orders) => {
          const reference = await run(events, 1000, 1000);
          runs++;
          // Every accepted event counts exactly once, in exactly one profile (merges move state once).
          expect(reference.totalEvents).toBe(reference.distinctEvents);
          for (const [seed, batch, flushEvery] of orders) {
            const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
              seed,
              numRuns: 1,
            })[0] as CanonicalEvent[];
            expect(await run(shuffled, batch, flushEvery)).toEqual(reference);
            runs++;
          }
        },
      ),
      { numRuns: 100 },
    );
    expect(runs).toBeGreaterThanOrEqual(600);
  });
});
