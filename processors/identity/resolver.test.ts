import type { Identifier } from '../../contracts/identifier';
import { createIdentityResolver, IdentityConfigError } from './resolver';
import { identityEvent as ev } from './test-support';
import type { Resolution, ResolvedIdentity } from './types';

function ok(r: Resolution): ResolvedIdentity {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}`);
  return r.value;
}

const user = (value: string): Identifier => ({ type: 'user_id', value });
const anon = (value: string): Identifier => ({ type: 'anonymous_id', value });
const email = (value: string): Identifier => ({ type: 'email', value });

describe('createIdentityResolver', () => {
  it('joins the seed journey (anonymous → signup with email → login on a second device) into one profile', () => {
    // Prepare
    const r = createIdentityResolver();
    // Act
    const a = ok(r.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'anon-1' })));
    const b = ok(
      r.resolve(ev('e2', '2026-01-01T10:05:00.000Z', { anonymousId: 'anon-1', email: 'Ann@Example.com' })),
    );
    const c = ok(
      r.resolve(
        ev('e3', '2026-01-02T09:00:00.000Z', {
          anonymousId: 'anon-2',
          userId: 'u-1',
          email: 'ann@example.com',
        }),
      ),
    );
    // Assess
    expect(b.merges).toEqual([expect.objectContaining({ into: b.profileId, from: [a.profileId] })]);
    expect(b.merges[0]?.cause).toEqual({
      eventId: 'e2',
      timestamp: '2026-01-01T10:05:00.000Z',
      identifiers: [email('ann@example.com'), anon('anon-1')],
      rule: 'same-event',
    });
    expect(c.merges[0]?.from).toEqual([b.profileId]);
    const profile = r.lookup(anon('anon-1'));
    expect(profile?.profileId).toBe(c.profileId);
    expect(profile?.anchor).toEqual(user('u-1'));
    expect(profile?.identifiers).toEqual([
      anon('anon-1'),
      anon('anon-2'),
      email('ann@example.com'),
      user('u-1'),
    ]);
    expect(r.currentProfileId(a.profileId)).toBe(c.profileId);
    expect(r.profileIdOf(email('ANN@example.com'))).toBe(c.profileId);
    expect(r.profileIdOf(email('nobody@example.com'))).toBeUndefined();
    expect(r.getProfile(a.profileId)?.profileId).toBe(c.profileId);
  });

  it('gives profile ids that depend only on the anchor identifier and the salt', () => {
    const one = createIdentityResolver();
    const two = createIdentityResolver();
    const salted = createIdentityResolver({ profileIdSalt: 'tenant-a' });
    const e = ev('e1', '2026-01-01T10:00:00.000Z', { userId: 'u-1', anonymousId: 'a' });
    const id = ok(one.resolve(e)).profileId;
    expect(id).toMatch(/^prof_[0-9a-f]{24}$/);
    expect(ok(two.resolve(e)).profileId).toBe(id);
    expect(ok(salted.resolve(e)).profileId).not.toBe(id);
    expect(id).not.toContain('u-1');
  });

  it('links an alias previousId (an anonymous id by default) with the userId', () => {
    const r = createIdentityResolver();
    const anonEvent = ok(r.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'old-anon' })));
    const alias = ok(
      r.resolve(ev('e2', '2026-01-01T11:00:00.000Z', { userId: 'u-9', previousId: 'old-anon' }, 'alias')),
    );
    expect(alias.merges).toEqual([
      expect.objectContaining({
        from: [anonEvent.profileId],
        cause: expect.objectContaining({ rule: 'alias' }),
      }),
    ]);
    expect(r.explain(anon('old-anon'))?.chain[0]).toMatchObject({
      eventId: 'e2',
      rule: 'alias',
      status: 'merged',
    });
  });

  it('ignores previousId outside alias calls, and reads it as the configured type', () => {
    const r = createIdentityResolver({ previousIdType: 'user_id', limits: { user_id: 2 } });
    ok(r.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { userId: 'new', previousId: 'old' })));
    expect(r.lookup(user('old'))).toBeUndefined();
    ok(r.resolve(ev('e2', '2026-01-01T10:00:00.000Z', { userId: 'new', previousId: 'old' }, 'alias')));
    expect(r.lookup(user('old'))?.profileId).toBe(r.lookup(user('new'))?.profileId);
  });

  it('links custom external ids and enforces a configured limit on them', () => {
    const r = createIdentityResolver({ limits: { user_id: 1, crm_id: 1 } });
    ok(
      r.resolve(
        ev('e1', '2026-01-01T10:00:00.000Z', {
          email: 'a@x.io',
          externalIds: [{ type: 'crm_id', value: 'C1' }],
        }),
      ),
    );
    const second = ok(
      r.resolve(
        ev('e2', '2026-01-02T10:00:00.000Z', {
          email: 'a@x.io',
          externalIds: [{ type: 'crm_id', value: 'C2' }],
        }),
      ),
    );
    expect(second.blockedLinks).toEqual([
      expect.objectContaining({
        from: email('a@x.io'),
        to: { type: 'crm_id', value: 'C2' },
        status: 'blocked-by-limit',
      }),
    ]);
    expect(r.lookup({ type: 'crm_id', value: 'C1' })?.identifiers).toHaveLength(2);
    expect(r.lookup({ type: 'crm_id', value: 'C2' })?.identifiers).toHaveLength(1);
  });

  it('is idempotent for a redelivered event', () => {
    const r = createIdentityResolver();
    const e = ev('e1', '2026-01-01T10:00:00.000Z', { userId: 'u', anonymousId: 'a', email: 'u@x.io' });
    const first = ok(r.resolve(e));
    const again = ok(r.resolve(e));
    expect(again.profileId).toBe(first.profileId);
    expect(again).toMatchObject({ merges: [], reassignments: [], splits: [], blockedLinks: [] });
    expect(r.size()).toEqual({ identifiers: 3, links: 2 });
  });

  it('keeps one link per pair however many events repeat it', () => {
    const r = createIdentityResolver();
    for (let i = 0; i < 100; i++) {
      r.resolve(
        ev(`e${i}`, `2026-01-01T10:00:${String(i % 60).padStart(2, '0')}.000Z`, {
          userId: 'u',
          anonymousId: 'a',
        }),
      );
    }
    expect(r.size()).toEqual({ identifiers: 2, links: 1 });
    expect(r.explain(anon('a'))?.chain[0]?.eventId).toBe('e0');
  });

  it('refuses a config that does not parse, with the zod error as cause', () => {
    expect(() => createIdentityResolver({ limits: { user_id: 0 } })).toThrow(IdentityConfigError);
    expect(() => createIdentityResolver({ limits: { 'Bad-Type': 1 } })).toThrow(/snake_case/);
  });

  it('reports an event whose identifiers are all blocked as no-identifier, without echoing the values', () => {
    const r = createIdentityResolver();
    const res = r.resolve(
      ev('e1', '2026-01-01T10:00:00.000Z', { userId: 'null', email: 'test@example.com' }),
    );
    expect(res).toEqual({
      ok: false,
      reason: 'no-identifier',
      rejected: [
        { type: 'user_id', valueLength: 4, reason: 'blocked-value' },
        { type: 'email', valueLength: 16, reason: 'blocked-email' },
      ],
    });
  });

  it('rejects malformed e-mails and phones as invalid, and normalizes valid ones', () => {
    const r = createIdentityResolver();
    const res = ok(
      r.resolve(
        ev('e1', '2026-01-01T10:00:00.000Z', {
          userId: 'u',
          email: 'not-an-email',
          phone: '+1 415 555 2671',
        }),
      ),
    );
    expect(res.rejected).toEqual([{ type: 'email', valueLength: 12, reason: 'invalid' }]);
    expect(res.identifiers).toContainEqual({ type: 'phone', value: '+14155552671' });
    expect(r.lookup({ type: 'phone', value: '+1 (415) 555-2671' })?.profileId).toBe(res.profileId);
  });

  it('reports an anchor change caused by a late event as a merge of the old id into the new one', () => {
    const r = createIdentityResolver();
    ok(r.resolve(ev('e1', '2026-01-05T10:00:00.000Z', { email: 'b@x.io', anonymousId: 'a' })));
    const before = ok(r.resolve(ev('e2', '2026-01-06T10:00:00.000Z', { email: 'c@x.io', anonymousId: 'a' })));
    // c@x.io turns out to have been seen earlier than b@x.io: it becomes the anchor.
    const late = ok(r.resolve(ev('e0', '2026-01-01T10:00:00.000Z', { email: 'c@x.io' })));
    expect(late.profileId).not.toBe(before.profileId);
    expect(late.merges).toEqual([
      expect.objectContaining({
        into: late.profileId,
        from: [before.profileId],
        cause: expect.objectContaining({ rule: 'profile-id-change', eventId: 'e0' }),
      }),
    ]);
    expect(r.currentProfileId(before.profileId)).toBe(late.profileId);
  });
});

describe('primaryIdentifier', () => {
  it('is the strongest identifier of the event, ties broken by type name then value', () => {
    const r = createIdentityResolver();
    const a = ok(
      r.resolve(
        ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'z', email: 'b@x.io', phone: '+14155552671' }),
      ),
    );
    expect(a.primaryIdentifier).toEqual({ type: 'email', value: 'b@x.io' });
    const b = ok(
      r.resolve(
        ev('e2', '2026-01-01T10:00:00.000Z', {
          externalIds: [
            { type: 'crm_id', value: '2' },
            { type: 'crm_id', value: '10' },
            { type: 'shop_id', value: '1' },
          ],
        }),
      ),
    );
    expect(b.primaryIdentifier).toEqual({ type: 'crm_id', value: '10' });
  });
});
