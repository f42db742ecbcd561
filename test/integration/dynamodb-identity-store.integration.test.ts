import { createDynamoDbIdentityStore } from '../../adapters/aws/dynamodb-identity-store';
import type { ResourceNames } from '../../contracts/aws-resources';
import type { IdentityStore, IdentityWrite } from '../../processors/identity/identity-store';
import type { IdentityLink, ProfileMerge } from '../../processors/identity/types';
import { describeWithAws } from './harness/aws-test-environment';

const email = (v: string) => ({ type: 'email', value: v });
const user = (v: string) => ({ type: 'user_id', value: v });
const at = '2024-05-01T12:00:00.000Z';
const mapping = (
  identifier: { type: string; value: string },
  profileId: string,
  expectedVersion: number | null,
): IdentityWrite => ({ kind: 'put-mapping', identifier, profileId, expectedVersion, updatedAt: at });
const link = (from: string, to: string, eventId = 'e1'): IdentityLink => ({
  from: user(from),
  to: email(to),
  eventId,
  timestamp: at,
  rule: 'same-event',
  status: 'merged',
});

describeWithAws('DynamoDB identity store against moto', ['dynamodb'], (env) => {
  let names: ResourceNames;
  let store: IdentityStore;
  beforeEach(async () => {
    await env().reset();
    names = (await env().create({ tables: ['identities', 'profiles'] })).names;
    store = createDynamoDbIdentityStore(
      { identitiesTable: names.tables.identities, profilesTable: names.tables.profiles },
      { dynamodb: env().clients.dynamodb, sleep: async () => {} },
    );
  });

  test('mappings are written under version conditions and read back in input order', async () => {
    // Prepare / Act
    const first = await store.transact([
      mapping(email('a@x.io'), 'p1', null),
      mapping(user('u1'), 'p1', null),
    ]);
    const again = await store.transact([mapping(email('a@x.io'), 'p2', null)]);
    const moved = await store.transact([mapping(email('a@x.io'), 'p2', 1)]);
    const stale = await store.transact([mapping(email('a@x.io'), 'p3', 1)]);
    const read = await store.getMappings([user('nobody'), email('a@x.io'), user('u1')]);

    // Assess
    expect(first).toEqual({ ok: true });
    expect(again).toEqual({ ok: false, reason: 'conflict', key: 'ID#email#a@x.io' });
    expect(moved).toEqual({ ok: true });
    expect(stale).toEqual({ ok: false, reason: 'conflict', key: 'ID#email#a@x.io' });
    expect(read).toEqual([
      undefined,
      { identifier: email('a@x.io'), profileId: 'p2', version: 2, updatedAt: at },
      { identifier: user('u1'), profileId: 'p1', version: 1, updatedAt: at },
    ]);
  });

  test('two writers claiming one identifier at once: exactly one wins', async () => {
    // Prepare / Act
    const results = await Promise.all(
      ['p1', 'p2', 'p3', 'p4'].map((p) => store.transact([mapping(email('race@x.io'), p, null)])),
    );

    // Assess
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const [stored] = await store.getMappings([email('race@x.io')]);
    expect(stored?.version).toBe(1);
    const winner = ['p1', 'p2', 'p3', 'p4'][results.findIndex((r) => r.ok)];
    expect(stored?.profileId).toBe(winner);
  });

  test('a merge is one transaction: a failed condition writes none of its items', async () => {
    // Prepare
    await store.transact([mapping(email('b@x.io'), 'p2', null)]);
    const merge: ProfileMerge = {
      into: 'p1',
      from: ['p2'],
      cause: { eventId: 'e9', timestamp: at, identifiers: [user('u1'), email('b@x.io')], rule: 'same-event' },
    };
    const writes = (expected: number): IdentityWrite[] => [
      mapping(email('b@x.io'), 'p1', expected),
      { kind: 'put-link', link: link('u1', 'b@x.io', 'e9') },
      { kind: 'put-merge', merge },
      { kind: 'put-redirect', from: 'p2', to: 'p1' },
    ];

    // Act
    const failed = await store.transact(writes(5));
    const linksAfterFailure = await store.getLinks(user('u1'));
    const ok = await store.transact(writes(1));

    // Assess
    expect(failed).toEqual({ ok: false, reason: 'conflict', key: 'ID#email#b@x.io' });
    expect(linksAfterFailure).toEqual([]);
    expect(ok).toEqual({ ok: true });
    expect(await store.getLinks(user('u1'))).toEqual([link('u1', 'b@x.io', 'e9')]);
    expect(await store.getLinks(email('b@x.io'))).toEqual([link('u1', 'b@x.io', 'e9')]);
    expect(await store.listMerges('p1')).toEqual([merge]);
    expect(await store.getRedirect('p2')).toBe('p1');
    expect(await store.getRedirect('p1')).toBeUndefined();
  });

  test('identifiers of a profile come from the byProfile index', async () => {
    // Prepare
    await store.transact([
      mapping(email('c@x.io'), 'p7', null),
      mapping(user('u7'), 'p7', null),
      mapping(user('u8'), 'p8', null),
    ]);
    await store.transact([{ kind: 'put-link', link: link('u7', 'c@x.io') }]);

    // Act
    const ids = await store.listProfileIdentifiers('p7');

    // Assess
    expect([...ids].sort((a, b) => a.type.localeCompare(b.type))).toEqual([email('c@x.io'), user('u7')]);
  });

  test('limits: > 100 writes refused; 60 links (120 items, idempotent) written in several transactions', async () => {
    // Prepare
    const tooMany = Array.from({ length: 101 }, (_, i) => mapping(user(`u${i}`), 'p', null));
    const links: IdentityWrite[] = Array.from({ length: 60 }, (_, i) => ({
      kind: 'put-link',
      link: link(`u${i}`, `m${i}@x.io`),
    }));

    // Act
    const refused = await store.transact(tooMany);
    const written = await store.transact(links);
    const rewritten = await store.transact(links); // a redelivery: same items, no second effect

    // Assess
    expect(refused).toEqual({ ok: false, reason: 'too-many-writes', count: 101 });
    expect(written).toEqual({ ok: true });
    expect(rewritten).toEqual({ ok: true });
    expect(await store.getLinks(email('m59@x.io'))).toHaveLength(1);
  });
});
