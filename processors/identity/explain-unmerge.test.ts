import type { Identifier } from '../../contracts/identifier';
import { createIdentityResolver, type IdentityResolver } from './resolver';
import { identityEvent as ev } from './test-support';

const user = (value: string): Identifier => ({ type: 'user_id', value });
const anon = (value: string): Identifier => ({ type: 'anonymous_id', value });
const email = (value: string): Identifier => ({ type: 'email', value });

/** anon-1 —e2— ann@x.io —e3— u-1 —e3— anon-2 */
function journey(): IdentityResolver {
  const r = createIdentityResolver({}, { now: () => Date.parse('2026-04-01T00:00:00.000Z') });
  r.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'anon-1' }));
  r.resolve(ev('e2', '2026-01-01T10:05:00.000Z', { anonymousId: 'anon-1', email: 'ann@x.io' }));
  r.resolve(
    ev('e3', '2026-01-02T09:00:00.000Z', { anonymousId: 'anon-2', userId: 'u-1', email: 'ann@x.io' }),
  );
  return r;
}

describe('explain', () => {
  it('answers why an identifier belongs to its profile with the chain of links to the anchor', () => {
    const r = journey();
    const why = r.explain(anon('anon-1'));
    expect(why).toEqual({
      identifier: anon('anon-1'),
      profileId: r.lookup(user('u-1'))?.profileId,
      anchor: user('u-1'),
      chain: [
        {
          from: email('ann@x.io'),
          to: anon('anon-1'),
          eventId: 'e2',
          timestamp: '2026-01-01T10:05:00.000Z',
          rule: 'same-event',
          status: 'merged',
        },
        {
          from: user('u-1'),
          to: email('ann@x.io'),
          eventId: 'e3',
          timestamp: '2026-01-02T09:00:00.000Z',
          rule: 'same-event',
          status: 'merged',
        },
      ],
      notMerged: [],
    });
  });

  it('gives an empty chain for the anchor itself and nothing for an unknown identifier', () => {
    const r = journey();
    expect(r.explain(user('u-1'))?.chain).toEqual([]);
    expect(r.explain(user('nobody'))).toBeUndefined();
  });

  it('normalizes the identifier it is asked about', () => {
    const r = journey();
    expect(r.explain(email('  ANN@x.io '))?.anchor).toEqual(user('u-1'));
  });
});

describe('unmerge', () => {
  it('cuts a link, splits the profile and reports both resulting profiles', () => {
    // Prepare
    const r = journey();
    const whole = r.lookup(user('u-1'))!;
    // Act
    const res = r.unmerge({ kind: 'link', a: user('u-1'), b: email('ann@x.io') });
    // Assess
    if (!res.ok) throw new Error(res.message);
    const split = r.lookup(email('ann@x.io'))!;
    expect(split.identifiers).toEqual([anon('anon-1'), email('ann@x.io')]);
    expect(r.lookup(user('u-1'))).toEqual({
      profileId: whole.profileId,
      anchor: user('u-1'),
      identifiers: [anon('anon-2'), user('u-1')],
    });
    expect(res.value.severedLinks).toBe(1);
    expect(res.value.profiles.map((p) => p.profileId).sort()).toEqual(
      [whole.profileId, split.profileId].sort(),
    );
    expect(res.value.reassignments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          identifier: email('ann@x.io'),
          from: whole.profileId,
          to: split.profileId,
        }),
        expect.objectContaining({ identifier: anon('anon-1'), from: whole.profileId, to: split.profileId }),
      ]),
    );
    expect(res.value.reassignments[0]?.cause).toMatchObject({
      rule: 'unmerge-replay',
      timestamp: '2026-04-01T00:00:00.000Z',
    });
    expect(r.explain(email('ann@x.io'))?.notMerged).toEqual([
      expect.objectContaining({ from: user('u-1'), status: 'severed' }),
    ]);
  });

  it('keeps the cut when later events link the same pair again', () => {
    const r = journey();
    r.unmerge({ kind: 'link', a: user('u-1'), b: email('ann@x.io') });
    const again = r.resolve(ev('e4', '2026-01-03T09:00:00.000Z', { userId: 'u-1', email: 'ann@x.io' }));
    if (!again.ok) throw new Error(again.reason);
    expect(again.value.blockedLinks).toEqual([expect.objectContaining({ status: 'severed' })]);
    expect(r.lookup(email('ann@x.io'))?.profileId).not.toBe(again.value.profileId);
  });

  it('detaches an identifier from every profile it was linked into', () => {
    const r = journey();
    const res = r.unmerge({ kind: 'identifier', identifier: email('ann@x.io') });
    if (!res.ok) throw new Error(res.message);
    expect(res.value.severedLinks).toBe(2);
    expect(r.lookup(email('ann@x.io'))?.identifiers).toEqual([email('ann@x.io')]);
    expect(r.lookup(anon('anon-1'))?.identifiers).toEqual([anon('anon-1')]);
    expect(r.lookup(user('u-1'))?.identifiers).toEqual([anon('anon-2'), user('u-1')]);
    expect(res.value.profiles).toHaveLength(3);
  });

  it('says so when the profile stays whole because another path still links the pair', () => {
    const r = journey();
    r.resolve(ev('e5', '2026-01-04T09:00:00.000Z', { userId: 'u-1', anonymousId: 'anon-1' }));
    const res = r.unmerge({ kind: 'link', a: user('u-1'), b: email('ann@x.io') });
    if (!res.ok) throw new Error(res.message);
    expect(res.value.profiles).toHaveLength(1);
    expect(res.value.reassignments).toEqual([]);
    expect(r.explain(email('ann@x.io'))?.chain.map((l) => l.eventId)).toEqual(['e2', 'e5']);
  });

  it('moves the weak id to the next profile in time order once its first owner is cut off', () => {
    const r = createIdentityResolver();
    r.resolve(ev('m1', '2026-03-01T18:00:00.000Z', { userId: 'mom', anonymousId: 'tablet' }));
    r.resolve(ev('k1', '2026-03-02T18:00:00.000Z', { userId: 'kid', anonymousId: 'tablet' }));
    const res = r.unmerge({ kind: 'link', a: user('mom'), b: anon('tablet') });
    if (!res.ok) throw new Error(res.message);
    expect(r.lookup(anon('tablet'))?.anchor).toEqual(user('kid'));
    expect(res.value.reassignments).toEqual([
      expect.objectContaining({
        identifier: anon('tablet'),
        from: r.lookup(user('mom'))?.profileId,
        to: r.lookup(user('kid'))?.profileId,
      }),
    ]);
  });

  it('refuses unknown identifiers and pairs that were never linked directly', () => {
    const r = journey();
    expect(r.unmerge({ kind: 'link', a: user('u-1'), b: email('who@x.io') })).toMatchObject({
      ok: false,
      reason: 'unknown-identifier',
    });
    expect(r.unmerge({ kind: 'link', a: user('u-1'), b: anon('anon-1') })).toMatchObject({
      ok: false,
      reason: 'no-such-link',
    });
    expect(r.unmerge({ kind: 'identifier', identifier: anon('ghost') })).toMatchObject({
      ok: false,
      reason: 'unknown-identifier',
    });
  });
});
