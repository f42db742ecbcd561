import fc from 'fast-check';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { createSeedJourney } from '../../test/fixtures/scenarios/seed-journey';
import { createSegmentEvaluator, DEFAULT_SEGMENT_DEFINITIONS } from '../segments';
import { asRecords, createTestPipeline } from './test-support';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const DAY = 86_400_000;
const rules = createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS);

describe('the seed journey through the pipeline', () => {
  it('ends in one profile with the exact counters, identifiers, segments and lake rows', async () => {
    // Prepare
    const journey = createSeedJourney({ now: NOW });
    const t = createTestPipeline([asRecords(journey.events)], { now: NOW, rules });
    // Act
    await t.pipeline.runToEnd();
    // Assess
    const docs = t.profiles.all();
    expect(docs).toHaveLength(1);
    const doc = docs[0];
    expect(doc?.profileId).toBe(t.pipeline.identity.profileIdOf(journey.anchor));
    expect(doc).toMatchObject(journey.expected);
    expect(doc?.daily).toEqual(journey.expected.daily);
    expect(t.pipeline.identity.getProfile(doc?.profileId ?? '')?.identifiers).toEqual(journey.identifiers);
    expect(t.pipeline.stats()).toMatchObject({
      records: 13,
      accepted: 12,
      duplicates: journey.duplicateDeliveries,
      rejected: 0,
      late: 0,
    });
    expect((await t.segments.getMemberships(doc?.profileId ?? '')).map((m) => m.segmentId).sort()).toEqual(
      journey.expectedSegmentsAt(NOW).sort(),
    );
    const tables = (name: string) => t.lake.rows.filter((r) => r.table === name);
    expect(tables('events')).toHaveLength(12);
    expect(tables('identity_merges').length).toBeGreaterThan(0);
    expect(tables('identity_links').length).toBeGreaterThanOrEqual(3);
    expect(tables('segment_changes').map((r) => r.row.segment_id)).toEqual(journey.expectedSegmentsAt(NOW));
    const activity = await t.profiles.listActivity(doc?.profileId ?? '', { limit: 100 });
    expect(activity.items.map((i) => i.eventId)).toEqual(
      journey.events
        .slice(0, 12)
        .map((e) => e.eventId)
        .reverse(),
    );
    expect((await t.segments.listSegments()).map((s) => s.segmentId)).toEqual(
      DEFAULT_SEGMENT_DEFINITIONS.map((d) => d.id).sort(),
    );
  });

  it('gives the same profile and segments in any arrival order and batching', async () => {
    const journey = createSeedJourney({ now: NOW });
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...journey.events], { minLength: journey.events.length }),
        fc.integer({ min: 1, max: 5 }),
        async (order: CanonicalEvent[], batch) => {
          const t = createTestPipeline([asRecords(order)], {
            now: NOW,
            rules,
            config: { maxBatchSize: batch },
          });
          await t.pipeline.runToEnd();
          const docs = t.profiles.all();
          expect(docs).toHaveLength(1);
          expect(docs[0]).toMatchObject(journey.expected);
          expect((await t.segments.getMemberships(docs[0]?.profileId ?? '')).map((m) => m.segmentId)).toEqual(
            [...journey.expectedSegmentsAt(NOW)].sort(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('moves the customer into at-risk-churners 31 days after the last visit with no new event', async () => {
    // Prepare: an unbounded log (live), evaluated now
    const journey = createSeedJourney({ now: NOW });
    const t = createTestPipeline([asRecords(journey.events)], { now: NOW, rules, bounded: false });
    await t.pipeline.step();
    await t.pipeline.flush();
    const id = t.pipeline.identity.profileIdOf(journey.anchor) ?? '';
    const before = (await t.segments.getMemberships(id)).map((m) => m.segmentId);
    // Act: time passes
    const later = Date.parse(journey.expected.lastSeen) + 31 * DAY;
    t.clock.set(later);
    await t.pipeline.step();
    await t.pipeline.flush();
    // Assess
    expect(before.sort()).toEqual([...journey.expectedSegmentsAt(NOW)].sort());
    expect((await t.segments.getMemberships(id)).map((m) => m.segmentId).sort()).toEqual(
      [...journey.expectedSegmentsAt(later)].sort(),
    );
    expect(journey.expectedSegmentsAt(later)).toContain('at-risk-churners');
    expect(
      t.lake.rows
        .filter((r) => r.table === 'segment_changes' && r.row.segment_id === 'at-risk-churners')
        .map((r) => r.row),
    ).toEqual([
      {
        segment_id: 'at-risk-churners',
        profile_id: id,
        change: 'enter',
        changed_at: new Date(later).toISOString(),
        origin: 'stream',
      },
    ]);
  });
});
