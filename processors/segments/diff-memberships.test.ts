import { diffMemberships } from './diff-memberships';

const AT = Date.parse('2026-03-31T12:00:00.000Z');

describe('diffMemberships', () => {
  it('emits exits then entries, stamped with the given time', () => {
    // Prepare
    const before = { profileId: 'p', segmentIds: ['a', 'b'] };
    const after = { profileId: 'p', segmentIds: ['b', 'c'] };

    // Act
    const changes = diffMemberships(before, after, AT);

    // Assess
    expect(changes).toEqual([
      {
        segmentId: 'a',
        profileId: 'p',
        source: 'realtime',
        change: 'exited',
        timestamp: '2026-03-31T12:00:00.000Z',
      },
      {
        segmentId: 'c',
        profileId: 'p',
        source: 'realtime',
        change: 'entered',
        timestamp: '2026-03-31T12:00:00.000Z',
      },
    ]);
  });

  it('has nothing to say when nothing changed', () => {
    expect(
      diffMemberships({ profileId: 'p', segmentIds: ['a'] }, { profileId: 'p', segmentIds: ['a'] }, AT),
    ).toEqual([]);
  });

  it('treats a first evaluation as entries only', () => {
    expect(
      diffMemberships(undefined, { profileId: 'p', segmentIds: ['a'] }, '2026-03-31T12:00:00.000Z'),
    ).toEqual([
      {
        segmentId: 'a',
        profileId: 'p',
        source: 'realtime',
        change: 'entered',
        timestamp: '2026-03-31T12:00:00.000Z',
      },
    ]);
  });

  it('exits every segment of a merged-away profile under its own id', () => {
    const changes = diffMemberships(
      { profileId: 'old', segmentIds: ['a'] },
      { profileId: 'new', segmentIds: ['a'] },
      AT,
    );

    expect(changes.map((c) => [c.profileId, c.segmentId, c.change])).toEqual([
      ['old', 'a', 'exited'],
      ['new', 'a', 'entered'],
    ]);
  });
});
