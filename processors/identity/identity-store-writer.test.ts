import { type IdentityStore, identifierPk } from './identity-store';
import { createIdentityStoreWriter } from './identity-store-writer';
import { createMemoryIdentityStore } from './memory-identity-store';
import { createIdentityResolver } from './resolver';
import { identityEvent as ev } from './test-support';
import type { Resolution } from './types';

function value(r: Resolution) {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

const now = () => Date.parse('2026-05-01T00:00:00.000Z');

describe('createIdentityStoreWriter', () => {
  it('keeps every identifier mapped to its current profile, with merge records and redirects', async () => {
    // Prepare
    const store = createMemoryIdentityStore();
    const resolver = createIdentityResolver();
    const writer = createIdentityStoreWriter({ now }, { store, resolver });
    const events = [
      ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'anon-1' }),
      ev('e2', '2026-01-01T10:05:00.000Z', { anonymousId: 'anon-1', email: 'ann@x.io' }),
      ev('e3', '2026-01-02T09:00:00.000Z', { userId: 'u-1', email: 'ann@x.io' }),
    ];
    // Act
    const ids: string[] = [];
    for (const e of events) {
      const resolved = value(resolver.resolve(e));
      ids.push(resolved.profileId);
      expect(await writer.writeResolution(resolved, e.eventId)).toMatchObject({ ok: true });
    }
    // Assess
    const final = ids[2]!;
    const identifiers = [
      { type: 'anonymous_id', value: 'anon-1' },
      { type: 'email', value: 'ann@x.io' },
      { type: 'user_id', value: 'u-1' },
    ];
    expect((await store.getMappings(identifiers)).map((m) => m?.profileId)).toEqual([final, final, final]);
    expect(await store.getRedirect(ids[1]!)).toBe(final);
    expect(await store.getRedirect(ids[0]!)).toBe(ids[1]);
    expect((await store.listMerges(final)).map((m) => m.cause.eventId)).toEqual(['e3']);
    expect((await store.getLinks(identifiers[1]!)).map((l) => l.eventId).sort()).toEqual(['e2', 'e3']);
  });

  it('writes nothing for a known person whose profile did not change', async () => {
    const store = createMemoryIdentityStore();
    const resolver = createIdentityResolver();
    const writer = createIdentityStoreWriter({ now }, { store, resolver });
    const e = ev('e1', '2026-01-01T10:00:00.000Z', { userId: 'u', anonymousId: 'a' });
    await writer.writeResolution(value(resolver.resolve(e)), 'e1');
    const again = ev('e2', '2026-01-01T11:00:00.000Z', { userId: 'u', anonymousId: 'a' });
    expect(await writer.writeResolution(value(resolver.resolve(again)), 'e2')).toEqual({
      ok: true,
      value: { writes: 0, transactions: 0 },
    });
  });

  it('rewrites the mappings an unmerge moved', async () => {
    const store = createMemoryIdentityStore();
    const resolver = createIdentityResolver();
    const writer = createIdentityStoreWriter({ now }, { store, resolver });
    const e = ev('e1', '2026-01-01T10:00:00.000Z', { userId: 'u', anonymousId: 'a' });
    await writer.writeResolution(value(resolver.resolve(e)), 'e1');
    const cut = resolver.unmerge({ kind: 'identifier', identifier: { type: 'anonymous_id', value: 'a' } });
    if (!cut.ok) throw new Error(cut.message);
    await writer.writeChanges(cut.value);
    const [m] = await store.getMappings([{ type: 'anonymous_id', value: 'a' }]);
    expect(m?.profileId).toBe(resolver.lookup({ type: 'anonymous_id', value: 'a' })?.profileId);
    expect(m?.version).toBe(2);
  });

  it('re-reads and retries when another writer changed a mapping, and gives up after maxAttempts', async () => {
    const inner = createMemoryIdentityStore();
    let interfere = 1;
    // Another writer bumps the mapping between our read and our write.
    const racing: IdentityStore = {
      ...inner,
      async transact(writes) {
        if (interfere-- > 0) {
          const w = writes[0]!;
          if (w.kind === 'put-mapping') {
            const [current] = await inner.getMappings([w.identifier]);
            const bump = { ...w, profileId: 'someone-else', expectedVersion: current?.version ?? null };
            expect(await inner.transact([bump])).toEqual({ ok: true });
          }
        }
        return inner.transact(writes);
      },
    };
    const resolver = createIdentityResolver();
    const writer = createIdentityStoreWriter({ now, maxAttempts: 2 }, { store: racing, resolver });
    const resolved = value(resolver.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { userId: 'u' })));
    expect(await writer.writeResolution(resolved, 'e1')).toMatchObject({ ok: true });
    expect((await inner.getMappings([{ type: 'user_id', value: 'u' }]))[0]).toMatchObject({
      profileId: resolved.profileId,
      version: 2,
    });

    interfere = 10;
    const stubborn = createIdentityStoreWriter({ now, maxAttempts: 2 }, { store: racing, resolver });
    const next = value(resolver.resolve(ev('e2', '2026-01-01T10:00:00.000Z', { userId: 'v' })));
    expect(await stubborn.writeResolution(next, 'e2')).toEqual({
      ok: false,
      reason: 'conflict',
      key: identifierPk({ type: 'user_id', value: 'v' }),
      attempts: 2,
    });
  });

  it('writeMappings after a batch: every identifier of the touched profiles mapped, merged ids redirected', async () => {
    // Prepare: a first batch persisted, then a batch that merges two profiles
    const store = createMemoryIdentityStore();
    const resolver = createIdentityResolver();
    const writer = createIdentityStoreWriter({ now }, { store, resolver });
    value(resolver.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'anon-1' })));
    value(resolver.resolve(ev('e2', '2026-01-01T11:00:00.000Z', { email: 'ann@x.io' })));
    const anon = { type: 'anonymous_id', value: 'anon-1' };
    const email = { type: 'email', value: 'ann@x.io' };
    await writer.writeMappings([anon, email]);
    const [before] = await store.getMappings([anon]);
    value(
      resolver.resolve(ev('e3', '2026-01-02T09:00:00.000Z', { anonymousId: 'anon-1', email: 'ann@x.io' })),
    );

    // Act: only the second batch's new identifier is named
    const result = await writer.writeMappings([{ type: 'email', value: 'ann@x.io' }]);
    const again = await writer.writeMappings([email]);

    // Assess
    const survivor = resolver.profileIdOf(email);
    expect(result).toMatchObject({ ok: true });
    expect(again).toEqual({ ok: true, value: { writes: 0, transactions: 0 } });
    expect((await store.getMappings([anon, email])).map((m) => m?.profileId)).toEqual([survivor, survivor]);
    expect(before?.profileId).not.toBe(survivor);
    expect(await store.getRedirect(before?.profileId ?? '')).toBe(survivor);
  });
});
