import type { SegmentStore } from '../../contracts/ports/segment-store';
import type { SegmentDefinition } from '../../contracts/segment-definition';

/**
 * Registers the real-time segments in the store, so the Profile API lists them (with their
 * description, or their name) even before they have members. Idempotent: run it at every start.
 */
export async function defineRealtimeSegments(
  store: Pick<SegmentStore, 'defineSegment'>,
  definitions: readonly SegmentDefinition[],
): Promise<void> {
  for (const definition of definitions) {
    await store.defineSegment({
      segmentId: definition.id,
      source: 'realtime',
      description: definition.description ?? definition.name,
    });
  }
}
