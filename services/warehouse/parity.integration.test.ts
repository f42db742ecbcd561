import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { normalizeSegmentEvent } from '../../contracts/normalize-segment-event';
import { createSeedJourney } from '../../test/fixtures/scenarios/seed-journey';
import { generateJourneys, JourneyOptions } from '../demo-data';
import { runParity } from './parity-run';
import { loadProject } from './project';

jest.setTimeout(300_000);

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const SQL_DIR = join(__dirname, '..', '..', 'sql');

async function parityOf(events: readonly CanonicalEvent[]) {
  const warehouse = await createPgliteWarehouse();
  try {
    const lakeDir = await mkdtemp(join(tmpdir(), 'tributary-parity-'));
    return await runParity(
      events,
      { nowMs: NOW, lakeDir },
      { warehouse, project: await loadProject(SQL_DIR) },
    );
  } finally {
    await warehouse.close();
  }
}

describe('parity: the processors and the warehouse agree on every profile', () => {
  test('the seed journey: one profile, zero differences', async () => {
    // Act
    const result = await parityOf(createSeedJourney({ now: NOW }).events);

    // Assess
    expect(result).toMatchObject({ ok: true, profiles: 1, warehouseProfiles: 1, differences: [] });
  });

  test('generated demo journeys (duplicates and late arrivals included): zero differences', async () => {
    // Prepare
    const events: CanonicalEvent[] = [];
    const options = JourneyOptions.parse({
      seed: 7,
      endMs: NOW,
      customers: 40,
      duplicates: 0.02,
      outOfOrder: 0.05,
    });
    for (const call of generateJourneys(options)) {
      const receivedAtMs = NOW;
      const r = normalizeSegmentEvent(JSON.parse(JSON.stringify(call)), {
        source: 'demo',
        receivedAtMs,
        receivedAt: new Date(receivedAtMs).toISOString(),
      });
      if (r.ok) events.push(r.value);
    }

    // Act
    const result = await parityOf(events);

    // Assess
    expect(events.length).toBeGreaterThan(400);
    expect(result.ok && result.differences.slice(0, 10)).toEqual([]);
    expect(result.ok && result.profiles).toBeGreaterThanOrEqual(40);
  });
});
