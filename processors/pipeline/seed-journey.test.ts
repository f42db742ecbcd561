import { createSeedJourney } from '../../test/fixtures/scenarios/seed-journey';
import { asRecords, createTestPipeline } from './test-support';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');

describe('the seed journey through the pipeline', () => {
  it('ends in one profile with the exact counters, identifiers and lake rows', async () => {
    // Prepare
    const journey = createSeedJourney({ now: NOW });
    const t = createTestPipeline([asRecords(journey.events)], { now: NOW });
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
      duplicates: 1,
      rejected: 0,
      late: 0,
    });
    const tables = (name: string) => t.lake.rows.filter((r) => r.table === name);
    expect(tables('events')).toHaveLength(12);
    expect(tables('identity_merges').length).toBeGreaterThan(0);
    expect(tables('identity_links').length).toBeGreaterThanOrEqual(3);
    const activity = await t.profiles.listActivity(doc?.profileId ?? '', { limit: 100 });
    expect(activity.items.map((i) => i.eventId)).toEqual(
      journey.events
        .slice(0, 12)
        .map((e) => e.eventId)
        .reverse(),
    );
  });
});
