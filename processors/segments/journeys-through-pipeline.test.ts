import { canonicalJourneys } from '../../services/demo-data/canonical-journeys';
import { JourneyOptions } from '../../services/demo-data/journey-options';
import { asRecords, createTestPipeline } from '../pipeline/test-support';
import { DEFAULT_SEGMENT_DEFINITIONS } from './definitions';
import { createSegmentEvaluator } from './segment-evaluator';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-06-01T00:00:00.000Z');

describe('the default segments over generated journeys, through the real pipeline', () => {
  it('fill every seed segment, and hold exactly what the evaluator says of each stored profile', async () => {
    // Prepare
    const evaluator = createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS);
    const events = [...canonicalJourneys(JourneyOptions.parse({ endMs: NOW, customers: 600, seed: 3 }))];
    const t = createTestPipeline([asRecords(events)], { now: NOW, rules: evaluator });

    // Act
    await t.pipeline.runToEnd();

    // Assess
    expect(t.rejected).toEqual([]);
    expect(t.profiles.all()).toHaveLength(600); // one person, one profile: devices, e-mails and phones all join
    const members = new Map((await t.segments.listSegments()).map((s) => [s.segmentId, s.memberCount]));
    for (const id of [
      'high-value-customers',
      'at-risk-churners',
      'engaged-non-buyers',
      'recent-repeat-buyers',
    ]) {
      expect([id, members.get(id) ?? 0]).toEqual([id, expect.any(Number)]);
      expect(members.get(id) ?? 0).toBeGreaterThan(0);
    }
    for (const document of t.profiles.all()) {
      const activity = (await t.profiles.listActivity(document.profileId, { limit: 50 })).items;
      const expected = evaluator.evaluate(document, activity, NOW).segmentIds;
      const stored = (await t.segments.getMemberships(document.profileId)).map((m) => m.segmentId);
      expect([document.profileId, [...stored].sort()]).toEqual([document.profileId, [...expected].sort()]);
    }
  });
});
