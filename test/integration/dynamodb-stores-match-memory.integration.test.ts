import { createDynamoDbProfileStore } from '../../adapters/aws/dynamodb-profile-store';
import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import { createMemoryProfileStore } from '../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import type { ProfileStore } from '../../contracts/ports/profile-store';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { ActivityItem } from '../../contracts/profile';
import { describeWithAws } from './harness/aws-test-environment';
import { testProfile } from './harness/fixtures';

const NOW = Date.UTC(2026, 4, 1);

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

async function allActivity(store: ProfileStore, profileId: string): Promise<ActivityItem[]> {
  const out: ActivityItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listActivity(profileId, { limit: 3, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

async function allMembers(store: SegmentStore, segmentId: string) {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listMembers(segmentId, { limit: 4, cursor });
    out.push(...page.items.map((m) => `${m.profileId}@${m.enteredAt}`));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

describeWithAws(
  'DynamoDB stores behave as the memory stores (same operations, same answers)',
  ['dynamodb'],
  (env) => {
    afterAll(async () => {});

    test('profile store: 200 random writes, deletes, activity appends and moves', async () => {
      // Prepare
      const { names } = await env().create({ tables: ['profiles'] });
      const dynamo = createDynamoDbProfileStore(
        { tableName: names.tables.profiles, now: () => NOW },
        { dynamodb: env().clients.dynamodb },
      );
      const memory = createMemoryProfileStore({ now: () => NOW });
      const r = rng(7);
      const ids = ['a', 'b', 'c', 'd'];
      const versions = new Map<string, number>();
      const activity = (n: number): ActivityItem => ({
        eventId: `e${n}`,
        eventName: n % 2 === 0 ? 'page_view' : 'purchase',
        timestamp: new Date(NOW - (n % 9) * 60_000 - n).toISOString(),
        source: 'web',
        properties: { n },
      });
      const expiry = (n: number) => (n % 5 === 0 ? NOW - 1_000 : NOW + (n % 3) * 3_600_000 + 1_000);

      // Act / Assess: every answer of DynamoDB equals the memory store's.
      for (let step = 0; step < 200; step++) {
        const id = r.pick(ids);
        const op = r.int(6);
        const both = async <T>(f: (s: ProfileStore) => Promise<T>) => {
          const [m, d] = [await f(memory), await f(dynamo)];
          expect({ step, op, answer: d }).toEqual({ step, op, answer: m });
          return m;
        };
        if (op <= 1) {
          const stored = versions.get(id);
          const expected = r.next() < 0.8 ? (stored ?? null) : (stored ?? 0) + 1; // sometimes stale
          const next = (stored ?? 0) + 1;
          const res = await both((s) =>
            s.write([
              {
                kind: 'put',
                document: testProfile(id, { version: next, totalEvents: step }),
                expectedVersion: expected,
              },
            ]),
          );
          if (res.ok) versions.set(id, next);
        } else if (op === 2 && versions.has(id)) {
          const res = await both((s) =>
            s.write([{ kind: 'delete', profileId: id, expectedVersion: versions.get(id)! }]),
          );
          if (res.ok) versions.delete(id);
        } else if (op === 3) {
          const items = Array.from({ length: 1 + r.int(4) }, () => r.int(40)).map(activity);
          const n = Number(items[0]!.eventId.slice(1));
          await both((s) => s.appendActivity(id, items, expiry(n)));
        } else if (op === 4) {
          const into = r.pick(ids);
          await both((s) => s.moveActivity(id, into));
        } else {
          await both((s) => s.getMany(ids));
          await both((s) => allActivity(s, id));
        }
      }
      for (const id of ids) expect(await allActivity(dynamo, id)).toEqual(await allActivity(memory, id));
    });

    test('segment store: random membership batches, definitions, pages', async () => {
      // Prepare
      const { names } = await env().create({ tables: ['segments'] });
      const dynamo = createDynamoDbSegmentStore(
        { tableName: names.tables.segments },
        { dynamodb: env().clients.dynamodb },
      );
      const memory = createMemorySegmentStore();
      const r = rng(11);
      const segments = ['s1', 's2', 's3'];
      const profiles = Array.from({ length: 9 }, (_, i) => `p${i}`);
      const both = async <T>(f: (s: SegmentStore) => Promise<T>, step: number) => {
        const [m, d] = [await f(memory), await f(dynamo)];
        expect({ step, answer: d }).toEqual({ step, answer: m });
      };

      // Act / Assess
      for (let step = 0; step < 60; step++) {
        if (step % 15 === 3) {
          const segmentId = r.pick(segments);
          await both(
            (s) => s.defineSegment({ segmentId, source: 'realtime', description: `d${step}` }),
            step,
          );
        }
        const writes: MembershipWrite[] = Array.from({ length: 1 + r.int(8) }, () => {
          const segmentId = r.pick(segments);
          const profileId = r.pick(profiles);
          return r.next() < 0.6
            ? {
                kind: 'add',
                membership: {
                  segmentId,
                  profileId,
                  source: 'realtime',
                  enteredAt: new Date(NOW + step * 1000).toISOString(),
                },
              }
            : { kind: 'remove', segmentId, profileId };
        });
        await both((s) => s.apply(writes), step);
        await both((s) => s.listSegments(), step);
        const listed = r.pick(segments);
        const member = r.pick(profiles);
        await both((s) => allMembers(s, listed), step);
        await both((s) => s.getMemberships(member), step);
      }
    });
  },
);
