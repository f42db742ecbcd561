import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import { createLakeSegmentChangeEmitter } from './lake-change-emitter';

describe('lake segment-change emitter', () => {
  test('writes one segment_changes row per change, marked refresh with its change id, and flushes', async () => {
    // Prepare
    const rows: LakeRecord[] = [];
    let flushedAfter = -1;
    const lake: LakeWriter = {
      write: async (r) => void rows.push(...r),
      flush: async () => {
        flushedAfter = rows.length;
      },
    };
    const emit = createLakeSegmentChangeEmitter(lake);

    // Act
    await emit([
      {
        changeId: 'c1',
        change: {
          segmentId: 'rfm-champions',
          profileId: 'prof_a',
          source: 'sql',
          change: 'entered',
          timestamp: '2024-07-01T00:00:00.000Z',
        },
      },
      {
        changeId: 'c2',
        change: {
          segmentId: 'rfm-champions',
          profileId: 'prof_b',
          source: 'sql',
          change: 'exited',
          timestamp: '2024-07-01T00:00:00.000Z',
        },
      },
    ]);

    // Assess
    expect(flushedAfter).toBe(2);
    expect(rows.map((r) => [r.table, r.row])).toEqual([
      [
        'segment_changes',
        {
          segment_id: 'rfm-champions',
          profile_id: 'prof_a',
          change: 'enter',
          changed_at: '2024-07-01T00:00:00.000Z',
          origin: 'refresh',
          change_id: 'c1',
        },
      ],
      [
        'segment_changes',
        {
          segment_id: 'rfm-champions',
          profile_id: 'prof_b',
          change: 'exit',
          changed_at: '2024-07-01T00:00:00.000Z',
          origin: 'refresh',
          change_id: 'c2',
        },
      ],
    ]);
  });
});
