import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { IngestContext } from '../../contracts/normalize-result';
import { normalizeSegmentEvent } from '../../contracts/normalize-segment-event';
import { generateJourneys } from './journey-generator';
import type { JourneyOptions } from './journey-options';

/** How the simulated collector receives the calls. */
export interface CanonicalJourneyOptions {
  /** `source` of every event, as a write key would give it (default `demo`). */
  readonly source?: string;
  /** Delay between an event and its arrival at the collector (default 250 ms). */
  readonly latencyMs?: number;
}

/**
 * The journeys as the collector would append them to the event log: each call normalized by the
 * collector's own `normalizeSegmentEvent`, received `latencyMs` after it happened — or, for calls that
 * arrive late, when they arrive (`receivedAt` never goes back). For benchmarks and parity tests that
 * feed the pipeline without HTTP. Throws if a call is refused: that is a bug in the generator.
 */
export function* canonicalJourneys(
  options: JourneyOptions,
  { source = 'demo', latencyMs = 250 }: CanonicalJourneyOptions = {},
): Generator<CanonicalEvent, void, undefined> {
  let receivedAtMs = Number.NEGATIVE_INFINITY;
  for (const call of generateJourneys(options)) {
    receivedAtMs = Math.max(receivedAtMs, Date.parse(call.timestamp as string) + latencyMs);
    const context: IngestContext = { source, receivedAtMs, receivedAt: new Date(receivedAtMs).toISOString() };
    const result = normalizeSegmentEvent(call, context);
    if (!result.ok) {
      throw new Error(`demo data made a call the collector refuses: ${JSON.stringify(result.errors)}`);
    }
    yield result.value;
  }
}
