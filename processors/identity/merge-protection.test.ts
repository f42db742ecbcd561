import type { Identifier } from '../../contracts/identifier';
import { createIdentityResolver } from './resolver';
import { identityEvent as ev } from './test-support';
import type { Resolution, ResolvedIdentity } from './types';

function ok(r: Resolution): ResolvedIdentity {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}`);
  return r.value;
}

const user = (value: string): Identifier => ({ type: 'user_id', value });
const anon = (value: string): Identifier => ({ type: 'anonymous_id', value });

describe('merge protection', () => {
  describe('a shared family tablet', () => {
    const mom = ev('m1', '2026-03-01T18:00:00.000Z', { userId: 'mom', anonymousId: 'tablet' });
    const kid = ev('k1', '2026-03-02T18:00:00.000Z', { userId: 'kid', anonymousId: 'tablet' });
    const browse = ev('b1', '2026-03-03T18:00:00.000Z', { anonymousId: 'tablet' });

    it('keeps two users apart and gives the tablet to the one linked to it first (by event time)', () => {
      // Prepare
      const r = createIdentityResolver();
      // Act
      const m = ok(r.resolve(mom));
      const k = ok(r.resolve(kid));
      const b = ok(r.resolve(browse));
      // Assess
      expect(k.profileId).not.toBe(m.profileId);
      expect(k.merges).toEqual([]);
      expect(k.blockedLinks).toEqual([
        expect.objectContaining({
          from: user('kid'),
          to: anon('tablet'),
          status: 'blocked-by-limit',
          eventId: 'k1',
        }),
      ]);
      expect(b.profileId).toBe(m.profileId);
      expect(r.lookup(user('kid'))?.identifiers).toEqual([user('kid')]);
      expect(r.lookup(user('mom'))?.identifiers).toEqual([anon('tablet'), user('mom')]);
    });

    it('moves the tablet when the earlier login arrives late, and reports the re-assignment', () => {
      const r = createIdentityResolver();
      const k = ok(r.resolve(kid));
      const b = ok(r.resolve(browse));
      expect(b.profileId).toBe(k.profileId);
      const m = ok(r.resolve(mom));
      expect(m.reassignments).toEqual([
        {
          identifier: anon('tablet'),
          from: k.profileId,
          to: m.profileId,
          cause: expect.objectContaining({ eventId: 'm1', rule: 'late-event-replay' }),
        },
      ]);
      expect(m.merges).toEqual([]);
      expect(r.lookup(anon('tablet'))?.profileId).toBe(m.profileId);
      expect(r.lookup(user('kid'))?.profileId).toBe(k.profileId);
      expect(r.currentProfileId(k.profileId)).toBe(k.profileId);
    });

    it('redirects the tablet’s old anonymous profile id to wherever the tablet is now', () => {
      const r = createIdentityResolver();
      const early = ok(r.resolve(ev('b0', '2026-02-28T18:00:00.000Z', { anonymousId: 'tablet' })));
      const k = ok(r.resolve(kid));
      expect(k.merges).toEqual([expect.objectContaining({ into: k.profileId, from: [early.profileId] })]);
      expect(r.currentProfileId(early.profileId)).toBe(k.profileId);
      const m = ok(r.resolve(mom));
      expect(r.currentProfileId(early.profileId)).toBe(m.profileId);
      expect(r.getProfile(early.profileId)?.anchor).toEqual(user('mom'));
    });

    it('explains why the tablet is the mother’s and not the kid’s', () => {
      const r = createIdentityResolver();
      for (const e of [kid, mom, browse]) r.resolve(e);
      const why = r.explain(anon('tablet'));
      expect(why?.anchor).toEqual(user('mom'));
      expect(why?.chain).toEqual([
        expect.objectContaining({ from: user('mom'), to: anon('tablet'), eventId: 'm1' }),
      ]);
      expect(why?.notMerged).toEqual([
        expect.objectContaining({ from: user('kid'), eventId: 'k1', status: 'blocked-by-limit' }),
      ]);
    });
  });

  it('never merges many accounts through test@example.com', () => {
    const r = createIdentityResolver();
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const res = ok(
        r.resolve(
          ev(`e${i}`, '2026-03-01T10:00:00.000Z', {
            userId: `u${i}`,
            anonymousId: `a${i}`,
            email: 'TEST@example.com',
          }),
        ),
      );
      expect(res.rejected).toEqual([{ type: 'email', valueLength: 16, reason: 'blocked-email' }]);
      ids.add(res.profileId);
    }
    expect(ids.size).toBe(50);
    expect(r.lookup({ type: 'email', value: 'test@example.com' })).toBeUndefined();
  });

  it.each(['noreply@shop.io', 'info@shop.io', 'no-reply@shop.io', 'test+42@gmail.com'])(
    'blocks the generic address %s',
    (address) => {
      const r = createIdentityResolver();
      ok(r.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { anonymousId: 'x', email: address })));
      ok(r.resolve(ev('e2', '2026-03-01T10:00:00.000Z', { anonymousId: 'y', email: address })));
      expect(r.lookup(anon('x'))?.profileId).not.toBe(r.lookup(anon('y'))?.profileId);
    },
  );

  it.each(['null', 'NULL', 'undefined', 'anonymous', '0', '-1', '  ', ' None '])(
    'never links through the userId %j',
    (bad) => {
      const r = createIdentityResolver();
      const a = ok(r.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { userId: bad, anonymousId: 'dev-1' })));
      const b = ok(r.resolve(ev('e2', '2026-03-01T10:00:00.000Z', { userId: bad, anonymousId: 'dev-2' })));
      expect(a.profileId).not.toBe(b.profileId);
      expect(a.rejected).toEqual([{ type: 'user_id', valueLength: bad.length, reason: 'blocked-value' }]);
      expect(a.identifiers).toEqual([anon('dev-1')]);
    },
  );

  it('blocks configured values and domains, and lets a config unblock the defaults', () => {
    const strict = createIdentityResolver({
      blockedValuesByType: { phone: ['+15555555555'] },
      blockedEmailDomains: ['mailinator.com'],
    });
    const res = ok(
      strict.resolve(
        ev('e1', '2026-03-01T10:00:00.000Z', {
          userId: 'u',
          phone: '+15555555555',
          email: 'x@mailinator.com',
        }),
      ),
    );
    expect(res.rejected.map((x) => x.reason)).toEqual(['blocked-email', 'blocked-value']);
    const lax = createIdentityResolver({ blockedEmailLocalParts: [] });
    expect(ok(lax.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { email: 'info@shop.io' }))).rejected).toEqual(
      [],
    );
  });

  it('never merges two profiles with different user ids, even through a chain of weak ids', () => {
    const r = createIdentityResolver();
    r.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { userId: 'u1', email: 'shared@corp.io' }));
    r.resolve(ev('e2', '2026-03-01T11:00:00.000Z', { anonymousId: 'd', email: 'shared@corp.io' }));
    r.resolve(ev('e3', '2026-03-01T12:00:00.000Z', { anonymousId: 'd', phone: '+14155552671' }));
    const last = ok(r.resolve(ev('e4', '2026-03-01T13:00:00.000Z', { userId: 'u2', phone: '+14155552671' })));
    expect(last.blockedLinks).toHaveLength(1);
    expect(r.lookup(user('u1'))?.identifiers).toHaveLength(4);
    expect(r.lookup(user('u2'))?.identifiers).toEqual([user('u2')]);
  });

  it('lets a config allow two user ids per profile', () => {
    const r = createIdentityResolver({ limits: { user_id: 2 } });
    r.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { userId: 'u1', anonymousId: 'd' }));
    r.resolve(ev('e2', '2026-03-01T11:00:00.000Z', { userId: 'u2', anonymousId: 'd' }));
    const third = ok(r.resolve(ev('e3', '2026-03-01T12:00:00.000Z', { userId: 'u3', anonymousId: 'd' })));
    expect(r.lookup(user('u1'))?.identifiers).toHaveLength(3);
    expect(third.blockedLinks).toHaveLength(1);
  });

  it('puts an event in the profile of its strongest identifier when its link is blocked', () => {
    const r = createIdentityResolver();
    const mom = ok(r.resolve(ev('m1', '2026-03-01T18:00:00.000Z', { userId: 'mom', anonymousId: 'tablet' })));
    const kidEvent = ok(
      r.resolve(
        ev('k1', '2026-03-02T18:00:00.000Z', { userId: 'kid', anonymousId: 'tablet', email: 'kid@x.io' }),
      ),
    );
    expect(kidEvent.profileId).not.toBe(mom.profileId);
    expect(r.lookup({ type: 'email', value: 'kid@x.io' })?.profileId).toBe(kidEvent.profileId);
  });
});

describe('input limits', () => {
  it('keeps at most maxIdentifiersPerEvent identifiers of one event and rejects the rest', () => {
    const r = createIdentityResolver({ maxIdentifiersPerEvent: 3 });
    const externalIds = Array.from({ length: 5 }, (_, i) => ({ type: 'crm_id', value: `c${i}` }));
    const res = ok(r.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { userId: 'u', externalIds })));
    expect(res.identifiers).toHaveLength(3);
    expect(res.rejected).toEqual(
      Array.from({ length: 3 }, () => ({ type: 'crm_id', valueLength: 2, reason: 'too-many-identifiers' })),
    );
  });

  it('rejects identifiers of new types once maxIdentifierTypes types are known, instead of failing', () => {
    const r = createIdentityResolver({ maxIdentifierTypes: 6 });
    const externalIds = Array.from({ length: 4 }, (_, i) => ({ type: `custom_${i}`, value: 'v' }));
    // user_id, anonymous_id, email, phone are not yet known either: the first six types seen are admitted.
    const res = ok(
      r.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { userId: 'u', email: 'u@x.io', externalIds })),
    );
    expect(res.identifiers.map((x) => x.type)).toEqual([
      'user_id',
      'email',
      'custom_0',
      'custom_1',
      'custom_2',
      'custom_3',
    ]);
    const next = r.resolve(ev('e2', '2026-03-01T10:00:00.000Z', { anonymousId: 'a' }));
    expect(next).toEqual({
      ok: false,
      reason: 'no-identifier',
      rejected: [{ type: 'anonymous_id', valueLength: 1, reason: 'too-many-types' }],
    });
  });

  it('never throws for 300 distinct custom types at the 256-type ceiling', () => {
    const r = createIdentityResolver({ maxIdentifierTypes: 256 });
    const externalIds = Array.from({ length: 300 }, (_, i) => ({ type: `t_${i}`, value: 'v' }));
    const res = ok(r.resolve(ev('e1', '2026-03-01T10:00:00.000Z', { userId: 'u', externalIds })));
    expect(res.identifiers.length).toBe(32);
    for (let i = 0; i < 300; i += 30) {
      r.resolve(ev(`e${i}`, '2026-03-01T10:00:00.000Z', { externalIds: externalIds.slice(i, i + 30) }));
    }
    expect(r.size().identifiers).toBe(256);
  });
});
