import type { SegmentEvent } from '../../contracts/segment-event';
import { customerJourney, type JourneyClock } from './customer-journey';
import type { JourneyOptions } from './journey-options';
import { MinHeap } from './min-heap';
import { createRandom, mixSeed } from './random';

const DAY = 86_400_000;

/** Calls per customer on average with the built-in persona mix (measured: 28 to 30; sizes `customers` from `count`). */
export const AVERAGE_CALLS_PER_CUSTOMER = 28;

interface Active {
  readonly index: number;
  readonly journey: Generator<SegmentEvent>;
  readonly clock: JourneyClock;
  time: number;
  event: SegmentEvent;
}

interface Delayed {
  readonly releaseAt: number;
  readonly order: number;
  readonly event: SegmentEvent;
}

/** How many customers to simulate: as asked, or about enough for `count` calls. */
export function customerCount(options: JourneyOptions): number {
  if (options.customers !== undefined) return options.customers;
  return Math.max(1, Math.ceil((options.count ?? 0) / AVERAGE_CALLS_PER_CUSTOMER));
}

/**
 * Realistic customer journeys as Segment calls, streamed in (roughly) event-time order and never all
 * in memory: customers show up one after the other over `spanDays` before `endMs`, and only those whose
 * journey is still going are held (one pending call each). Deterministic: the same options give the
 * same calls in the same order. Disorder is applied on delivery only, from its own random source, so
 * `duplicates` / `outOfOrder` never change which events exist, only how often and in which order they
 * arrive. With `count` alone, should the sized population run out first, more customers join at
 * random times of the span until `count` calls are out (those arrive as a backfill, out of order).
 */
export function* generateJourneys(options: JourneyOptions): Generator<SegmentEvent, void, undefined> {
  const seedTag = mixSeed(options.seed, 0x7a11);
  const customers = customerCount(options);
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  const start = options.endMs - options.spanDays * DAY;
  // Arrivals are spread evenly (with jitter) over the span, leaving the last day for journeys to go on.
  const slot = Math.max(1, (options.spanDays * DAY - DAY) / customers);
  const arrivals = createRandom(mixSeed(options.seed, 0xa771));
  const delivery = createRandom(mixSeed(options.seed, 0xde11));

  const active = new MinHeap<Active>((a, b) => a.time < b.time || (a.time === b.time && a.index < b.index));
  const delayed = new MinHeap<Delayed>(
    (a, b) => a.releaseAt < b.releaseAt || (a.releaseAt === b.releaseAt && a.order < b.order),
  );
  let nextCustomer = 0;
  let nextArrival = start + arrivals.next() * slot;
  let emitted = 0;
  let delayOrder = 0;

  const admit = (arrivalMs: number): void => {
    const index = nextCustomer;
    const clock: JourneyClock = { time: 0 };
    const journey = customerJourney(
      { index, arrivalMs: Math.floor(arrivalMs), options, seedTag },
      createRandom(mixSeed(options.seed, 0xc057, index)),
      clock,
    );
    nextCustomer += 1;
    nextArrival = start + (nextCustomer + arrivals.next()) * slot;
    const first = journey.next();
    if (!first.done) active.push({ index, journey, clock, time: clock.time, event: first.value });
  };

  while (emitted < limit) {
    while (nextCustomer < customers && (active.size === 0 || nextArrival <= active.peek()!.time))
      admit(nextArrival);
    if (active.size === 0 && options.customers === undefined)
      admit(start + arrivals.next() * (options.spanDays - 1) * DAY);
    const head = active.pop();
    if (head === undefined) break;
    const event = head.event;
    const following = head.journey.next();
    if (!following.done) {
      head.event = following.value;
      head.time = head.clock.time;
      active.push(head);
    }

    while (emitted < limit && delayed.size > 0 && delayed.peek()!.releaseAt <= emitted) {
      yield delayed.pop()!.event;
      emitted += 1;
    }
    if (emitted >= limit) break;
    if (options.outOfOrder > 0 && delivery.chance(options.outOfOrder)) {
      delayed.push({
        releaseAt: emitted + delivery.int(1, options.maxDelayCalls),
        order: delayOrder++,
        event,
      });
    } else {
      yield event;
      emitted += 1;
    }
    if (options.duplicates > 0 && delivery.chance(options.duplicates)) {
      delayed.push({
        releaseAt: emitted + delivery.int(0, options.maxDelayCalls),
        order: delayOrder++,
        event: { ...event },
      });
    }
  }
  while (emitted < limit && delayed.size > 0) {
    yield delayed.pop()!.event;
    emitted += 1;
  }
}
