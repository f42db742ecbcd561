import type { IdentityWrite } from './identity-store';
import { createMemoryIdentityStore } from './memory-identity-store';

const at = '2026-01-01T00:00:00.000Z';
const email = { type: 'email', value: 'a@x.io' };
const put = (profileId: string, expectedVersion: number | null): IdentityWrite => ({
  kind: 'put-mapping',
  identifier: email,
  profileId,
  expectedVersion,
  updatedAt: at,
});

describe('createMemoryIdentityStore', () => {
  it('creates a mapping only when it does not exist, then updates it only at the expected version', async () => {
    const store = createMemoryIdentityStore();
    expect(await store.transact([put('p1', null)])).toEqual({ ok: true });
    expect(await store.transact([put('p2', null)])).toEqual({
      ok: false,
      reason: 'conflict',
      key: 'ID#email#a@x.io',
    });
    expect(await store.transact([put('p2', 7)])).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await store.transact([put('p2', 1)])).toEqual({ ok: true });
    expect(await store.getMappings([email, { type: 'email', value: 'b@x.io' }])).toEqual([
      { identifier: email, profileId: 'p2', version: 2, updatedAt: at },
      undefined,
    ]);
    expect(await store.listProfileIdentifiers('p2')).toEqual([email]);
    // the identifier moved: the profile it left no longer lists it
    expect(await store.listProfileIdentifiers('p1')).toEqual([]);
  });

  it('applies nothing when one condition of a transaction fails', async () => {
    const store = createMemoryIdentityStore();
    const other = { type: 'user_id', value: 'u' };
    const res = await store.transact([
      { kind: 'put-mapping', identifier: other, profileId: 'p1', expectedVersion: null, updatedAt: at },
      { kind: 'put-redirect', from: 'old', to: 'p1' },
      put('p1', 3),
    ]);
    expect(res).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await store.getMappings([other])).toEqual([undefined]);
    expect(await store.getRedirect('old')).toBeUndefined();
  });

  it('refuses more writes than one DynamoDB transaction holds, and two writes to one item', async () => {
    const store = createMemoryIdentityStore();
    const many = Array.from(
      { length: 101 },
      (_, i): IdentityWrite => ({ kind: 'put-redirect', from: `p${i}`, to: 'q' }),
    );
    expect(await store.transact(many)).toEqual({ ok: false, reason: 'too-many-writes', count: 101 });
    expect(await store.transact([put('p1', null), put('p2', null)])).toMatchObject({
      ok: false,
      reason: 'conflict',
    });
  });

  it('stores a link under both of its identifiers and merges under the survivor', async () => {
    const store = createMemoryIdentityStore();
    const link = {
      from: { type: 'user_id', value: 'u' },
      to: email,
      eventId: 'e1',
      timestamp: at,
      rule: 'same-event' as const,
      status: 'merged' as const,
    };
    const merge = {
      into: 'p1',
      from: ['p0'],
      cause: { eventId: 'e1', timestamp: at, identifiers: [link.from, link.to], rule: 'same-event' as const },
    };
    await store.transact([
      { kind: 'put-link', link },
      { kind: 'put-link', link },
      { kind: 'put-merge', merge },
    ]);
    expect(await store.getLinks(email)).toEqual([link]);
    expect(await store.getLinks({ type: 'user_id', value: 'u' })).toEqual([link]);
    expect(await store.listMerges('p1')).toEqual([merge]);
  });
});
