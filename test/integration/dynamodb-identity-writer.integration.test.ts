import { createDynamoDbIdentityStore } from '../../adapters/aws/dynamodb-identity-store';
import type { CanonicalIdentity } from '../../contracts/canonical-event';
import type { Identifier } from '../../contracts/identifier';
import type { IdentityStore } from '../../processors/identity/identity-store';
import { createIdentityStoreWriter } from '../../processors/identity/identity-store-writer';
import { createMemoryIdentityStore } from '../../processors/identity/memory-identity-store';
import { createIdentityResolver } from '../../processors/identity/resolver';
import { identityEvent } from '../../processors/identity/test-support';
import { describeWithAws } from './harness/aws-test-environment';

const now = () => Date.parse('2026-05-01T00:00:00.000Z');

/** A journey with anonymous visits, logins on two devices, a shared email and an alias. */
function journey() {
  const ids: CanonicalIdentity[] = [];
  for (let p = 0; p < 6; p++) {
    ids.push({ anonymousId: `anon-${p}-a` });
    ids.push({ anonymousId: `anon-${p}-b` });
    ids.push({ anonymousId: `anon-${p}-a`, email: `person${p}@x.io` });
    ids.push({ anonymousId: `anon-${p}-b`, userId: `user-${p}` });
    ids.push({ userId: `user-${p}`, email: `person${p}@x.io`, phone: `+1415555${String(1000 + p)}` });
  }
  ids.push({ userId: 'user-7', previousId: 'anon-5-a' });
  return ids.map((identity, i) =>
    identityEvent(
      `e${String(i).padStart(3, '0')}`,
      new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(),
      identity,
      identity.previousId ? 'alias' : 'track',
    ),
  );
}

/** Everything a store holds about the journey's identifiers and profiles, for comparison. */
async function contents(
  store: IdentityStore,
  identifiers: readonly Identifier[],
  profileIds: readonly string[],
) {
  const byKey = (a: { from: Identifier; to: Identifier }) => JSON.stringify([a.from, a.to]);
  return {
    mappings: (await store.getMappings(identifiers)).map(
      (m) => m && { profileId: m.profileId, version: m.version },
    ),
    links: await Promise.all(
      identifiers.map(async (i) =>
        [...(await store.getLinks(i))].sort((a, b) => byKey(a).localeCompare(byKey(b))),
      ),
    ),
    merges: await Promise.all(profileIds.map((p) => store.listMerges(p))),
    redirects: await Promise.all(profileIds.map((p) => store.getRedirect(p))),
    members: await Promise.all(
      profileIds.map(async (p) =>
        [...(await store.listProfileIdentifiers(p))].map((i) => `${i.type}:${i.value}`).sort(),
      ),
    ),
  };
}

describeWithAws('identity resolution persisted to DynamoDB', ['dynamodb'], (env) => {
  afterAll(async () => {});

  test('the DynamoDB store ends with exactly what the memory store holds after the same journey', async () => {
    // Prepare
    const { names } = await env().create({ tables: ['identities', 'profiles'] });
    const dynamo = createDynamoDbIdentityStore(
      { identitiesTable: names.tables.identities, profilesTable: names.tables.profiles },
      { dynamodb: env().clients.dynamodb },
    );
    const memory = createMemoryIdentityStore();
    const run = async (store: IdentityStore) => {
      const resolver = createIdentityResolver();
      const writer = createIdentityStoreWriter({ now }, { store, resolver });
      const profileIds = new Set<string>();
      const identifiers = new Map<string, Identifier>();
      for (const e of journey()) {
        const r = resolver.resolve(e);
        if (!r.ok) throw new Error(r.reason);
        profileIds.add(r.value.profileId);
        for (const i of r.value.identifiers) identifiers.set(`${i.type}:${i.value}`, i);
        const persisted = await writer.writeResolution(r.value, e.eventId);
        if (!persisted.ok) throw new Error(`conflict at ${e.eventId}`);
      }
      return { identifiers: [...identifiers.values()], profileIds: [...profileIds] };
    };

    // Act
    const seen = await run(memory);
    await run(dynamo);

    // Assess
    const expected = await contents(memory, seen.identifiers, seen.profileIds);
    expect(await contents(dynamo, seen.identifiers, seen.profileIds)).toEqual(expected);
    expect(expected.merges.flat().length).toBeGreaterThan(0);
    expect(expected.redirects.filter((r) => r !== undefined).length).toBeGreaterThan(0);
  });
});
