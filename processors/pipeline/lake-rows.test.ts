import type { CanonicalEvent } from '../../contracts/canonical-event';
import { lakeLine } from '../../contracts/ports/lake-writer';
import { eventRow } from './lake-rows';
import { asRecords, createTestPipeline } from './test-support';

function canonicalEvent(eventId: string): CanonicalEvent {
  const at = '2026-10-01T10:00:00.000Z';
  return {
    eventId,
    type: 'page',
    eventName: 'page_view',
    timestamp: at,
    receivedAt: at,
    source: 'web',
    identity: { anonymousId: 'a-1' },
    properties: { url: 'https://example.org/' },
    traits: {},
    context: {},
  };
}

describe('eventRow', () => {
  test('an events row made from the record line keeps the line and reads back as the event', () => {
    // Arrange
    const event = canonicalEvent('e-1');
    const line = JSON.stringify(event);

    // Act
    const row = eventRow(event, line);

    // Assert
    expect(row.table).toBe('events');
    expect(row.timestamp).toBe(event.timestamp);
    expect(lakeLine(row)).toBe(line);
    expect(row.row).toEqual(event);
  });

  test('without a line the row is the event, serialized by the writer', () => {
    const event = canonicalEvent('e-2');
    const row = eventRow(event);
    expect(row.row).toBe(event);
    expect(lakeLine(row)).toBe(JSON.stringify(event));
  });
});

describe("the pipeline's events rows", () => {
  test('a record that is one JSON line lands as that line; a pretty-printed one is serialized again', async () => {
    // Arrange: the same event twice under two ids, once as a line with spaces, once over three lines
    const a = canonicalEvent('e-a');
    const b = canonicalEvent('e-b');
    const lineA = JSON.stringify(a, null, 1).replace(/\n/g, ' ');
    const pretty = JSON.stringify(b, null, 2);
    const t = createTestPipeline([asRecords([lineA, pretty])]);

    // Act
    await t.pipeline.runToEnd();

    // Assert
    const rows = t.lake.rows.filter((r) => r.table === 'events');
    expect(rows.map((r) => lakeLine(r))).toEqual([lineA, JSON.stringify(b)]);
    expect(rows.map((r) => r.row)).toEqual([a, b]);
  });
});
