import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import { defineRealtimeSegments } from './define-segments';
import { DEFAULT_SEGMENT_DEFINITIONS } from './definitions';

describe('defineRealtimeSegments', () => {
  it('lists every real-time segment with no members yet, twice over without duplicates', async () => {
    // Prepare
    const store = createMemorySegmentStore();

    // Act
    await defineRealtimeSegments(store, DEFAULT_SEGMENT_DEFINITIONS);
    await defineRealtimeSegments(store, DEFAULT_SEGMENT_DEFINITIONS);

    // Assess
    const listed = await store.listSegments();
    expect(listed.map((s) => s.segmentId)).toEqual(DEFAULT_SEGMENT_DEFINITIONS.map((d) => d.id).sort());
    expect(listed.every((s) => s.source === 'realtime' && s.memberCount === 0)).toBe(true);
    expect(listed.find((s) => s.segmentId === 'high-value-customers')?.description).toContain(
      'Lifetime value over 500',
    );
  });
});
