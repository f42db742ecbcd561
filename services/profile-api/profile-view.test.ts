import fc from 'fast-check';
import type { ActivityItem, SegmentMembership } from '../../contracts/profile';
import { profileDocument } from '../../test/fixtures/profile-document';
import { buildProfileView, profileViewBody } from './profile-view';

const NOW = Date.parse('2026-01-05T12:00:00.000Z');
const at = fc.integer({ min: NOW - 200 * 86_400_000, max: NOW }).map((ms) => new Date(ms).toISOString());
const text = fc.string({ unit: 'binary', maxLength: 12 });
const activity: fc.Arbitrary<ActivityItem> = fc.record({
  eventId: text.filter((s) => s.length > 0),
  eventName: text.filter((s) => s.length > 0),
  timestamp: at,
  source: fc.constant('web'),
  properties: fc.dictionary(
    text,
    fc.oneof(text, fc.double({ noNaN: true }), fc.boolean(), fc.constant(null)),
  ),
});
const membership: fc.Arbitrary<SegmentMembership> = fc.record({
  segmentId: text.filter((s) => s.length > 0),
  profileId: fc.constant('p1'),
  source: fc.constantFrom('realtime' as const, 'sql' as const),
  enteredAt: at,
});

describe('profileViewBody', () => {
  it('gives the UTF-8 bytes of what JSON.stringify gives for buildProfileView, the timeline spliced in as text', () => {
    fc.assert(
      fc.property(
        fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(null))),
        at,
        fc.option(fc.record({ url: text, timestamp: at }), { nil: undefined }),
        fc.array(fc.record({ type: fc.constantFrom('email', 'user_id'), value: text }), { maxLength: 4 }),
        fc.array(membership, { maxLength: 3 }),
        fc.array(activity, { maxLength: 4 }),
        fc.option(text, { nil: undefined }),
        (traits, lastSeen, lastPage, identifiers, segments, recentActivity, mergedFrom) => {
          const document = profileDocument('p1', {
            traits,
            lastSeen,
            ...(lastPage === undefined ? {} : { lastPage }),
            daily: [
              {
                day: lastSeen.slice(0, 10),
                events: 2,
                pageViews: 1,
                purchases: 1,
                revenue: 9.5,
                eventCounts: {},
              },
            ],
            sessions: { count: 2, totalDurationMs: 1000 },
          });
          const parts = {
            document,
            identifiers,
            segments,
            ...(mergedFrom === undefined ? {} : { mergedFrom }),
          };
          const body = profileViewBody({ ...parts, recentActivityJson: JSON.stringify(recentActivity) }, NOW);
          expect(body.toString('utf8')).toBe(
            JSON.stringify(buildProfileView({ ...parts, recentActivity }, NOW)),
          );
        },
      ),
    );
  });

  it('keeps non-ASCII text and lone surrogates as JSON.stringify writes them', () => {
    const document = profileDocument('p1', { traits: { name: 'Zoë 日本 😀', odd: '\ud800x' } });
    const parts = { document, identifiers: [], segments: [], mergedFrom: 'p\u00e9' };
    const recentActivityJson = JSON.stringify([{ note: 'é\udc00' }]);
    const body = profileViewBody({ ...parts, recentActivityJson }, NOW);
    expect(body.toString('utf8')).toBe(
      JSON.stringify({
        ...buildProfileView({ ...parts, recentActivity: [] }, NOW),
        recentActivity: [{ note: 'é\udc00' }],
        mergedFrom: 'p\u00e9',
      }),
    );
    expect(JSON.parse(body.toString('utf8')).profile.traits.odd).toBe('\ud800x');
  });
});
