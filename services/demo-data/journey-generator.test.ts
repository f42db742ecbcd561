import { CanonicalEvent } from '../../contracts/canonical-event';
import type { IngestContext } from '../../contracts/normalize-result';
import { normalizeSegmentEvent } from '../../contracts/normalize-segment-event';
import { SegmentEvent } from '../../contracts/segment-event';
import { generateJourneys } from './journey-generator';
import { JourneyOptions, type JourneyOptionsInput, parseJourneyOptions } from './journey-options';

const END = Date.parse('2026-03-31T00:00:00.000Z');
const DAY = 86_400_000;

function generate(input: Omit<JourneyOptionsInput, 'endMs'> & { endMs?: number }): SegmentEvent[] {
  return [...generateJourneys(JourneyOptions.parse({ endMs: END, ...input }))];
}

const timeOf = (e: SegmentEvent) => Date.parse(e.timestamp as string);
const nameOf = (e: SegmentEvent) => (e.type === 'track' ? (e as { event: string }).event : e.type);

describe('journey generator', () => {
  const baseline = generate({ customers: 1500 });

  it('gives the same calls for the same options, and other people for another seed', () => {
    // Act
    const again = generate({ customers: 1500 });
    const other = generate({ customers: 50, seed: 2 });

    // Assess
    expect(JSON.stringify(again)).toBe(JSON.stringify(baseline));
    const ids = new Set(baseline.map((e) => e.messageId));
    expect(other.some((e) => ids.has(e.messageId))).toBe(false);
  });

  it('makes only calls that the collector accepts, without a single warning', () => {
    const receivedAtMs = END;
    const ctx: IngestContext = {
      source: 'demo',
      receivedAtMs,
      receivedAt: new Date(receivedAtMs).toISOString(),
    };

    const problems: string[] = [];
    const seen = new Set<string>();
    for (const event of baseline) {
      if (!SegmentEvent.safeParse(event).success)
        problems.push(`not a Segment call: ${JSON.stringify(event)}`);
      const result = normalizeSegmentEvent(JSON.parse(JSON.stringify(event)), ctx);
      if (!result.ok) problems.push(`refused: ${JSON.stringify(result.errors)}`);
      else if (result.warnings.length > 0) problems.push(`warned: ${JSON.stringify(result.warnings)}`);
      else if (result.value.timestamp !== new Date(timeOf(event)).toISOString()) problems.push('time moved');
      else if (!seen.has(nameOf(event))) {
        seen.add(nameOf(event));
        if (!CanonicalEvent.safeParse(result.value).success) problems.push(`not canonical: ${nameOf(event)}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(10);
  });

  it('streams in event-time order within the span, with unique message ids', () => {
    const times = baseline.map(timeOf);

    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(END - 90 * DAY);
    expect(Math.max(...times)).toBeLessThan(END);
    expect(new Set(baseline.map((e) => e.messageId)).size).toBe(baseline.length);
  });

  it('has a realistic mix: mostly views, signups with e-mail, both purchase styles, second devices, churn', () => {
    // Prepare
    const count = (predicate: (e: SegmentEvent) => boolean) => baseline.filter(predicate).length;
    const byUser = new Map<string, SegmentEvent[]>();
    const anonymousOnly = new Set<string>();
    for (const e of baseline) {
      if (e.userId === undefined) anonymousOnly.add(String(e.anonymousId));
      else byUser.set(String(e.userId), [...(byUser.get(String(e.userId)) ?? []), e]);
    }
    for (const events of byUser.values()) for (const e of events) anonymousOnly.delete(String(e.anonymousId));
    const bought = (events: SegmentEvent[]) =>
      events.some((e) => ['purchase', 'Order Completed'].includes(nameOf(e)));

    // Assess
    const views = count((e) => e.type === 'page' || e.type === 'screen') / baseline.length;
    expect(views).toBeGreaterThan(0.5);
    expect(views).toBeLessThan(0.85);
    const identifies = baseline.filter((e) => e.type === 'identify');
    expect(identifies.length).toBeGreaterThan(1500 * 0.3);
    expect(identifies.every((e) => typeof (e.traits as { email?: unknown }).email === 'string')).toBe(true);
    expect(
      identifies.filter((e) => (e.traits as { phone?: unknown }).phone !== undefined).length,
    ).toBeGreaterThan(50);
    const orders = baseline.filter((e) => nameOf(e) === 'Order Completed');
    const purchases = baseline.filter((e) => nameOf(e) === 'purchase');
    expect(orders.length).toBeGreaterThan(200);
    expect(purchases.length).toBeGreaterThan(50);
    expect(orders.every((e) => Number((e.properties as { revenue: number }).revenue) > 0)).toBe(true);
    expect(purchases.every((e) => Number((e.properties as { amount: number }).amount) > 0)).toBe(true);
    expect(count((e) => nameOf(e) === 'Signed Up') + count((e) => nameOf(e) === 'signup')).toBe(
      identifies.length,
    );
    expect(anonymousOnly.size).toBeGreaterThan(1500 * 0.3);
    const users = [...byUser.values()];
    const twoDevices = users.filter((events) => new Set(events.map((e) => e.anonymousId)).size >= 2);
    expect(twoDevices.length).toBeGreaterThan(users.length * 0.2);
    expect(
      twoDevices.some((events) => events.some((e) => nameOf(e) === 'Signed In' && e.type === 'track')),
    ).toBe(true);
    const churned = users.filter((events) => bought(events) && END - timeOf(events.at(-1)!) > 35 * DAY);
    expect(churned.length).toBeGreaterThan(20);
    const loyal = users.filter(
      (events) => events.filter((e) => ['purchase', 'Order Completed'].includes(nameOf(e))).length > 3,
    );
    expect(loyal.length).toBeGreaterThan(20);
  });

  it('plays the journey of the design notes: anonymous browsing, signup with e-mail, login on a second device, purchases', () => {
    const journey = baseline
      .filter((e) => e.userId !== undefined)
      .reduce((users, e) => users.add(String(e.userId)), new Set<string>());
    const matching = [...journey].find((userId) => {
      const web = baseline.find((e) => e.userId === userId)!.anonymousId;
      const own = baseline.filter((e) => e.anonymousId === web || e.userId === userId);
      const firstIdentify = own.findIndex((e) => e.type === 'identify');
      const firstLogin = own.findIndex((e) => nameOf(e) === 'Signed In');
      const firstOrder = own.findIndex((e) => nameOf(e) === 'Order Completed');
      return (
        firstIdentify > 0 &&
        own.slice(0, firstIdentify).every((e) => e.userId === undefined && e.type === 'page') &&
        firstLogin > firstIdentify &&
        own[firstLogin]!.anonymousId !== web &&
        firstOrder > firstLogin
      );
    });

    expect(matching).toBeDefined();
  });

  it('sends duplicates (same messageId) and late calls on delivery only, never other events', () => {
    // Act
    const noisy = generate({ customers: 1500, duplicates: 0.05, outOfOrder: 0.1, maxDelayCalls: 200 });

    // Assess
    const key = (e: SegmentEvent) => JSON.stringify(e);
    expect(new Set(noisy.map(key))).toEqual(new Set(baseline.map(key)));
    const duplicates = noisy.length - new Set(noisy.map((e) => e.messageId)).size;
    expect(duplicates / baseline.length).toBeGreaterThan(0.03);
    expect(duplicates / baseline.length).toBeLessThan(0.07);
    const times = noisy.map(timeOf);
    const backwards = times.filter((t, i) => i > 0 && t < times[i - 1]!).length;
    expect(backwards).toBeGreaterThan(baseline.length * 0.05);
  });

  it('stops at exactly count calls, and streams without building everything first', () => {
    expect(generate({ count: 1 })).toHaveLength(1);
    expect(generate({ count: 37 })).toHaveLength(37);
    expect(generate({ count: 5000, duplicates: 0.1 })).toHaveLength(5000);

    const huge = generateJourneys(JourneyOptions.parse({ endMs: END, count: 10_000_000 }));
    const first = Array.from({ length: 1000 }, () => huge.next().value);
    expect(first.every((e) => e !== undefined)).toBe(true);
  });

  it('lets two customers share a tablet when asked', () => {
    const shared = generate({ customers: 1500, sharedDevices: 1 });
    const usersByDevice = new Map<string, Set<string>>();
    for (const e of shared) {
      if (e.userId === undefined) continue;
      const users = usersByDevice.get(String(e.anonymousId)) ?? new Set<string>();
      usersByDevice.set(String(e.anonymousId), users.add(String(e.userId)));
    }

    const sharedDevices = [...usersByDevice.values()].filter((users) => users.size > 1);
    expect(sharedDevices.length).toBeGreaterThan(5);
    expect(sharedDevices.every((users) => users.size === 2)).toBe(true);
    const noneShared = new Map<string, Set<string>>();
    for (const e of baseline) {
      if (e.userId !== undefined)
        noneShared.set(
          String(e.anonymousId),
          (noneShared.get(String(e.anonymousId)) ?? new Set()).add(String(e.userId)),
        );
    }
    expect([...noneShared.values()].every((users) => users.size === 1)).toBe(true);
  });

  it('refuses bad options with the field and the reason', () => {
    expect(parseJourneyOptions({ endMs: END })).toMatchObject({
      ok: false,
      issues: [{ path: 'count', message: 'give customers, count, or both' }],
    });
    expect(parseJourneyOptions({ endMs: END, count: 5, duplicates: 2 })).toMatchObject({
      ok: false,
      issues: [{ path: 'duplicates' }],
    });
    expect(parseJourneyOptions({ count: 5 })).toMatchObject({ ok: false, issues: [{ path: 'endMs' }] });
  });
});
