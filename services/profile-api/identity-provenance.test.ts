import { IdentityConfig } from '../../processors/identity';
import { profileIdentities } from './identity-provenance';
import { identityStoreAfter } from './test/identity-journey';

const settings = IdentityConfig.parse({});
const anon = { type: 'anonymous_id', value: 'anon-1' };
const email = { type: 'email', value: 'ann@x.io' };
const user = { type: 'user_id', value: 'u-1' };

describe('profileIdentities', () => {
  it('names the anchor and, for each other identifier, the link and merge that brought it in', async () => {
    // Prepare: anonymous browsing, then a newsletter signup, then a login
    const { store, profileIds } = await identityStoreAfter([
      { eventId: 'e1', timestamp: '2026-01-01T10:00:00.000Z', identity: { anonymousId: 'anon-1' } },
      {
        eventId: 'e2',
        timestamp: '2026-01-01T10:05:00.000Z',
        identity: { anonymousId: 'anon-1', email: 'ann@x.io' },
      },
      {
        eventId: 'e3',
        timestamp: '2026-01-02T09:00:00.000Z',
        identity: { userId: 'u-1', email: 'ann@x.io' },
      },
    ]);
    const final = profileIds[2]!;
    // Act
    const result = await profileIdentities(final, store, settings);
    // Assess
    expect(result.identities.map((i) => [i.identifier.type, i.anchor, i.joinedBy?.eventId])).toEqual([
      ['anonymous_id', false, 'e3'],
      ['email', false, 'e3'],
      ['user_id', true, undefined],
    ]);
    const byEmail = result.identities.find((i) => i.identifier.type === 'email')!;
    expect(byEmail.joinedBy).toEqual({
      eventId: 'e3',
      timestamp: '2026-01-02T09:00:00.000Z',
      rule: 'same-event',
      linkedTo: user,
    });
    expect(byEmail.merge).toMatchObject({ into: final, from: [profileIds[1]], cause: { eventId: 'e3' } });
    // the merge history goes back through the profiles merged in: e2 merged the anonymous profile
    expect(result.merges.map((m) => [m.cause.eventId, m.into, m.from])).toEqual([
      ['e2', profileIds[1], [profileIds[0]]],
      ['e3', final, [profileIds[1]]],
    ]);
    expect(result.identities.map((i) => i.identifier)).toEqual([anon, email, user]);
  });

  it('leaves out links that did not merge (two user ids sharing a tablet)', async () => {
    const { store, profileIds } = await identityStoreAfter([
      {
        eventId: 'm1',
        timestamp: '2026-01-01T10:00:00.000Z',
        identity: { userId: 'mum', anonymousId: 'tab' },
      },
      {
        eventId: 'k1',
        timestamp: '2026-01-02T10:00:00.000Z',
        identity: { userId: 'kid', anonymousId: 'tab' },
      },
    ]);
    const mum = await profileIdentities(profileIds[0]!, store, settings);
    const kid = await profileIdentities(profileIds[1]!, store, settings);
    expect(mum.identities.map((i) => [i.identifier.value, i.anchor, i.joinedBy?.eventId])).toEqual([
      ['tab', false, 'm1'],
      ['mum', true, undefined],
    ]);
    expect(mum.identities[0]!.merge).toBeUndefined();
    expect(kid.identities.map((i) => [i.identifier.value, i.anchor, i.joinedBy])).toEqual([
      ['kid', true, undefined],
    ]);
    expect(kid.merges).toEqual([]);
  });

  it('answers an empty list for an id the store does not know', async () => {
    const { store } = await identityStoreAfter([]);
    expect(await profileIdentities('prof_unknown', store, settings)).toEqual({ identities: [], merges: [] });
  });
});
