import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import { CanonicalEvent } from '../../contracts/canonical-event';
import { normalizeSegmentEvent } from '../../contracts/normalize-segment-event';
import { generateJourneys, parseJourneyOptions } from '../../services/demo-data';
import { runParity } from '../../services/warehouse/parity-run';
import { loadProject } from '../../services/warehouse/project';
import { createSeedJourney } from '../../test/fixtures/scenarios/seed-journey';

interface ParityFlags {
  events?: string;
  demo?: string;
  seed: string;
  sharedDevices: string;
  now?: string;
  project: string;
}

/**
 * Adds `cdp parity`: the same events through the profile pipeline and the warehouse models (PGlite),
 * every difference listed. Exit 0 when they agree, 1 when they differ or a model fails, 2 on bad flags.
 */
export function registerParityCommand(program: Command): void {
  program
    .command('parity')
    .description("compare the processors' profiles with dim_profiles for the same events")
    .option('--events <file>', 'canonical events, one JSON object per line')
    .option('--demo <customers>', 'generated demo journeys of this many customers')
    .option('--seed <n>', 'seed of the demo journeys', '1')
    .option('--shared-devices <fraction>', 'share of households sharing a tablet in the demo journeys', '0')
    .option('--now <iso>', 'the time both sides compute at (default now)')
    .option('--project <dir>', 'the dbt-layout SQL folder', 'sql')
    .action(async (flags: ParityFlags) => {
      process.exitCode = await parity(flags);
    });
}

async function eventsOf(
  flags: ParityFlags,
  nowMs: number,
): Promise<{ ok: true; events: CanonicalEvent[] } | { ok: false; error: string }> {
  if (flags.events !== undefined) {
    const events: CanonicalEvent[] = [];
    const lines = (await readFile(resolve(flags.events), 'utf8')).split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        return { ok: false, error: `${flags.events}:${i + 1}: not JSON` };
      }
      const parsed = CanonicalEvent.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { ok: false, error: `${flags.events}:${i + 1}: ${issue?.path.join('.')}: ${issue?.message}` };
      }
      events.push(parsed.data);
    }
    return { ok: true, events };
  }
  if (flags.demo !== undefined) {
    const options = parseJourneyOptions({
      seed: Number(flags.seed),
      endMs: nowMs,
      customers: Number(flags.demo),
      sharedDevices: Number(flags.sharedDevices),
    });
    if (!options.ok) return { ok: false, error: `demo journeys: ${options.reason}` };
    const events: CanonicalEvent[] = [];
    for (const call of generateJourneys(options.value)) {
      const r = normalizeSegmentEvent(JSON.parse(JSON.stringify(call)), {
        source: 'demo',
        receivedAtMs: nowMs,
        receivedAt: new Date(nowMs).toISOString(),
      });
      if (r.ok) events.push(r.value);
    }
    return { ok: true, events };
  }
  return { ok: true, events: [...createSeedJourney({ now: nowMs }).events] };
}

async function parity(flags: ParityFlags): Promise<number> {
  const nowMs = flags.now === undefined ? Date.now() : Date.parse(flags.now);
  if (Number.isNaN(nowMs)) {
    console.error(`--now must be an ISO-8601 time, got "${flags.now}"`);
    return 2;
  }
  const input = await eventsOf(flags, nowMs);
  if (!input.ok) {
    console.error(input.error);
    return 2;
  }
  const lakeDir = await mkdtemp(join(tmpdir(), 'tributary-parity-'));
  const warehouse = await createPgliteWarehouse();
  try {
    const result = await runParity(
      input.events,
      { nowMs, lakeDir },
      { warehouse, project: await loadProject(resolve(flags.project)) },
    );
    if (!result.ok) {
      for (const f of result.failures) console.error(f);
      return 1;
    }
    for (const d of result.differences) {
      console.log(
        `[${d.identifiers}] ${d.field}: processors ${JSON.stringify(d.processors)}, warehouse ${JSON.stringify(d.warehouse)}`,
      );
    }
    console.log(
      `${input.events.length} events, ${result.profiles} processor profiles, ${result.warehouseProfiles} warehouse profiles, ${result.differences.length} differences`,
    );
    return result.differences.length === 0 ? 0 : 1;
  } finally {
    await warehouse.close();
    await rm(lakeDir, { recursive: true, force: true });
  }
}
