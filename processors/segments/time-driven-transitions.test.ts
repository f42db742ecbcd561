import { deserialize, serialize } from 'node:v8';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { PipelineCheckpoint } from '../pipeline';
import { asRecords, createTestPipeline } from '../pipeline/test-support';
import { DEFAULT_SEGMENT_DEFINITIONS } from './definitions';
import { createSegmentEvaluator } from './segment-evaluator';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00.000Z');

function event(id: string, atMs: number, userId: string, eventName: string, properties = {}): CanonicalEvent {
  const at = new Date(atMs).toISOString();
  return {
    eventId: id,
    type: eventName === 'page_view' ? 'page' : 'track',
    eventName,
    timestamp: at,
    receivedAt: at,
    source: 'web',
    identity: { userId },
    properties,
    traits: {},
    context: {},
  };
}

describe('time-driven segment transitions through the pipeline', () => {
  it('makes a buyer at-risk 31 whole days after the last visit, to the millisecond, with no new event', async () => {
    // Prepare: a purchase 29.5 days before now, then nothing
    const last = NOW - 29.5 * DAY;
    const t = createTestPipeline([asRecords([event('p-1', last, 'ann', 'purchase', { amount: 40 })])], {
      now: NOW,
      rules: createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS),
      bounded: false,
    });
    await t.pipeline.step();
    await t.pipeline.flush();
    const id = t.pipeline.identity.profileIdOf({ type: 'user_id', value: 'ann' }) ?? '';
    const segmentsOf = async () => (await t.segments.getMemberships(id)).map((m) => m.segmentId);
    const atRiskAt = last + 31 * DAY;

    // Act + Assess: nothing before the moment, at-risk from it
    expect(await segmentsOf()).toEqual([]);
    t.clock.advance(atRiskAt - 1 - NOW);
    await t.pipeline.step();
    await t.pipeline.flush();
    expect(await segmentsOf()).toEqual([]);
    t.clock.advance(1);
    await t.pipeline.step();
    const summary = await t.pipeline.flush();
    expect(await segmentsOf()).toEqual(['at-risk-churners']);
    expect(summary.segmentChanges).toBe(1);
  });

  it('lets an engaged non-buyer drop out 7 days after the last visit', async () => {
    // Prepare: 21 page views within the last day
    const views = Array.from({ length: 21 }, (_, i) =>
      event(`v-${i}`, NOW - DAY + i * 60_000, 'bo', 'page_view'),
    );
    const t = createTestPipeline([asRecords(views)], {
      now: NOW,
      rules: createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS),
      bounded: false,
    });
    await t.pipeline.step();
    await t.pipeline.flush();
    const id = t.pipeline.identity.profileIdOf({ type: 'user_id', value: 'bo' }) ?? '';
    const segmentsOf = async () => (await t.segments.getMemberships(id)).map((m) => m.segmentId);
    expect(await segmentsOf()).toEqual(['engaged-non-buyers']);

    // Act: a week after the last view, no new event
    t.clock.advance(6 * DAY + 20 * 60_000 + 1);
    await t.pipeline.step();
    await t.pipeline.flush();

    // Assess
    expect(await segmentsOf()).toEqual([]);
  });

  it('keeps moving people on time alone after a restore that only timers wake (the idle tick)', async () => {
    // Prepare: two purchases a day apart, then nothing; checkpoint, and a new process restores it
    const last = NOW - DAY;
    const records = asRecords([
      event('p-1', last - DAY, 'cy', 'purchase', { amount: 40 }),
      event('p-2', last, 'cy', 'purchase', { amount: 60 }),
    ]);
    const rules = createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS);
    const first = createTestPipeline([records], { now: NOW, rules, bounded: false });
    await first.pipeline.step();
    await first.pipeline.flush();
    const id = first.pipeline.identity.profileIdOf({ type: 'user_id', value: 'cy' }) ?? '';
    const checkpoint = deserialize(serialize(await first.pipeline.checkpoint())) as PipelineCheckpoint;
    const restored = createTestPipeline([records], {
      rules,
      bounded: false,
      restoreFrom: checkpoint,
      stores: first,
    });
    const segmentsOf = async () => (await restored.segments.getMemberships(id)).map((m) => m.segmentId);
    expect(await segmentsOf()).toEqual(['recent-repeat-buyers']);

    // Act: the first transition fires from the restored timer; the second needs the timer its flush sets
    restored.clock.advance(last + 31 * DAY - 1 - NOW);
    await restored.pipeline.step();
    await restored.pipeline.flush();
    const afterFirst = await segmentsOf();
    restored.clock.advance(2);
    await restored.pipeline.step();
    await restored.pipeline.flush();

    // Assess
    expect(afterFirst).toEqual([]);
    expect(await segmentsOf()).toEqual(['at-risk-churners']);
  });
});
