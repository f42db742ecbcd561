import { createIdentityResolver } from './resolver';
import { identityEvent as ev } from './test-support';

describe('createIdentityResolver', () => {
  it('joins the seed journey (anonymous → signup with email → login on a second device) into one profile', () => {
    // Prepare
    const r = createIdentityResolver();
    // Act
    const a = r.resolve(ev('e1', '2026-01-01T10:00:00.000Z', { anonymousId: 'anon-1' }));
    const b = r.resolve(
      ev('e2', '2026-01-01T10:05:00.000Z', { anonymousId: 'anon-1', email: 'Ann@Example.com' }),
    );
    const c = r.resolve(
      ev('e3', '2026-01-02T09:00:00.000Z', {
        anonymousId: 'anon-2',
        userId: 'u-1',
        email: 'ann@example.com',
      }),
    );
    // Assess
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected ok');
    expect(b.value.merges).toEqual([
      expect.objectContaining({ into: b.value.profileId, from: [a.value.profileId] }),
    ]);
    expect(c.value.merges[0]?.from).toEqual([b.value.profileId]);
    const profile = r.lookup({ type: 'anonymous_id', value: 'anon-1' });
    expect(profile?.profileId).toBe(c.value.profileId);
    expect(profile?.anchor).toEqual({ type: 'user_id', value: 'u-1' });
    expect(profile?.identifiers).toHaveLength(4);
    expect(r.currentProfileId(a.value.profileId)).toBe(c.value.profileId);
  });
});
