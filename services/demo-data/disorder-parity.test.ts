import type { ProfileDocument } from '../../contracts/profile';
import { asRecords, createTestPipeline, type TestPipeline } from '../../processors/pipeline/test-support';
import { DEFAULT_SEGMENT_DEFINITIONS } from '../../processors/segments/definitions';
import { createSegmentEvaluator } from '../../processors/segments/segment-evaluator';
import { canonicalJourneys } from './canonical-journeys';
import { JourneyOptions, type JourneyOptionsInput } from './journey-options';

jest.setTimeout(120_000);

const NOW = Date.parse('2026-06-01T00:00:00.000Z');

async function run(input: Omit<JourneyOptionsInput, 'endMs'>) {
  const events = [...canonicalJourneys(JourneyOptions.parse({ endMs: NOW, ...input }))];
  const t = createTestPipeline([asRecords(events)], {
    now: NOW,
    rules: createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS),
  });
  await t.pipeline.runToEnd();
  let newest = Number.NEGATIVE_INFINITY;
  let maxLateness = 0;
  for (const e of events) {
    const at = Date.parse(e.timestamp);
    maxLateness = Math.max(maxLateness, newest - at);
    newest = Math.max(newest, at);
  }
  return { events: events.length, maxLateness, view: await view(t) };
}

const strip = ({ updatedAt: _u, version: _v, appliedSequences: _a, ...rest }: ProfileDocument) => rest;

async function view(t: TestPipeline) {
  const docs = t.profiles.all().sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
  const memberships: string[] = [];
  for (const d of docs) {
    for (const m of await t.segments.getMemberships(d.profileId))
      memberships.push(`${m.profileId}/${m.segmentId}`);
  }
  return { docs: docs.map(strip), memberships };
}

describe('generated journeys with duplicates and late arrivals', () => {
  // Events later than the allowed lateness legitimately leave windows and sessions (late-events output),
  // so the disorder here stays within it: 10 calls of this stream are at most hours of event time.
  it('give the pipeline the same profiles and memberships as the clean delivery', async () => {
    // Act
    const clean = await run({ customers: 300, seed: 11 });
    const noisy = await run({
      customers: 300,
      seed: 11,
      duplicates: 0.05,
      outOfOrder: 0.1,
      maxDelayCalls: 10,
    });

    // Assess: late by more than the watermark bound (1 min), less than the allowed lateness (1 day)
    expect(noisy.events).toBeGreaterThan(clean.events);
    expect(clean.maxLateness).toBe(0);
    expect(noisy.maxLateness).toBeGreaterThan(60_000);
    expect(noisy.maxLateness).toBeLessThan(86_400_000);
    expect(noisy.view.memberships).toEqual(clean.view.memberships);
    expect(noisy.view.docs).toEqual(clean.view.docs);
  });
});
