import type { ProfileDocument } from '../../contracts/profile';
import { type ComparableProfile, comparableFromDocument, compareProfiles } from './parity';

const doc: ProfileDocument = {
  profileId: 'prof_a',
  version: 3,
  traits: { name: 'Ann', plan: 'pro' },
  traitTimes: {},
  firstSeen: '2024-05-01T10:00:00.000Z',
  lastSeen: '2024-05-03T10:00:00.000Z',
  totalEvents: 5,
  totalPageViews: 2,
  totalPurchases: 1,
  lifetimeValue: 19.99,
  eventCounts: {},
  daily: [],
  sessions: { count: 2, totalDurationMs: 60_000 },
  mergedFrom: [],
  appliedSequences: {},
  updatedAt: '2024-05-03T10:00:00.000Z',
};
const identifiers = [
  { type: 'user_id', value: 'u1' },
  { type: 'email', value: 'ann@example.org' },
];

describe('compareProfiles', () => {
  test('matches by identifier set and reports each differing field, and profiles on one side only', () => {
    // Prepare
    const same = comparableFromDocument(doc);
    const warehouse = new Map<string, ComparableProfile>([
      [
        'email:ann@example.org user_id:u1',
        { ...same, totalPurchases: 2, traits: { ...same.traits, plan: 'free' } },
      ],
      ['anonymous_id:x', { ...same, profileId: 'prof_x' }],
    ]);

    // Act
    const differences = compareProfiles([{ document: doc, identifiers }], warehouse);

    // Assess
    expect(differences).toEqual([
      {
        identifiers: 'email:ann@example.org user_id:u1',
        field: 'totalPurchases',
        processors: 1,
        warehouse: 2,
      },
      {
        identifiers: 'email:ann@example.org user_id:u1',
        field: 'traits.plan',
        processors: 'pro',
        warehouse: 'free',
      },
      { identifiers: 'anonymous_id:x', field: '(profile)', processors: null, warehouse: 'prof_x' },
    ]);
  });

  test('identical profiles give no difference', () => {
    const warehouse = new Map([['email:ann@example.org user_id:u1', comparableFromDocument(doc)]]);
    expect(compareProfiles([{ document: doc, identifiers }], warehouse)).toEqual([]);
  });
});
