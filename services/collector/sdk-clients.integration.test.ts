import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { type RunningCollector, startCollector } from './test/start-collector';

const T0 = new Date('2024-05-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function byName(events: CanonicalEvent[], eventName: string): CanonicalEvent {
  const found = events.find((e) => e.eventName === eventName);
  if (!found) throw new Error(`no ${eventName} event among ${events.map((e) => e.eventName).join(', ')}`);
  return found;
}

/** Segment's skew correction, recomputed from what the canonical event kept. */
function expectSkewCorrected(event: CanonicalEvent, clientTime: Date) {
  expect(event.sentAt).toBeDefined();
  const expected = clientTime.getTime() + (Date.parse(event.receivedAt) - Date.parse(event.sentAt!));
  expect(Date.parse(event.timestamp)).toBe(expected);
  // same machine clock: the correction is small
  expect(Math.abs(Date.parse(event.timestamp) - clientTime.getTime())).toBeLessThan(5000);
}

describe('real SDKs against a listening collector', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await collector.close();
  });

  it('accepts and normalizes every call of the Segment Node SDK (@segment/analytics-node)', async () => {
    const analytics = new SegmentAnalytics({
      writeKey: 'key-web',
      host: collector.url,
      path: '/v1/batch',
      flushAt: 6,
      maxRetries: 0,
    });
    const statuses: number[] = [];
    const errors: unknown[] = [];
    analytics.on('http_response', (r) => statuses.push(r.status));
    analytics.on('error', (e) => errors.push(e));

    analytics.identify({
      userId: 'seg-user-1',
      anonymousId: 'seg-anon-1',
      traits: { email: '  Ada.Lovelace@Example.COM ', phone: '+1 (415) 555-2671', plan: 'pro' },
      timestamp: at(0),
    });
    analytics.track({
      userId: 'seg-user-1',
      event: 'Order Completed',
      properties: { total: 42 },
      timestamp: at(1),
    });
    analytics.page({
      anonymousId: 'seg-anon-1',
      name: 'Pricing',
      properties: { url: 'https://x.io/p' },
      timestamp: at(2),
    });
    analytics.screen({ userId: 'seg-user-1', name: 'Cart', timestamp: at(3) });
    analytics.group({
      userId: 'seg-user-1',
      groupId: 'acme',
      traits: { name: 'Acme', email: 'info@acme.com' },
      timestamp: at(4),
    });
    analytics.alias({ userId: 'seg-user-1', previousId: 'seg-anon-1', timestamp: at(5) });
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const segment = collector.log
      .records()
      .map((r) => r.event)
      .filter((e) => e.source === 'web');
    expect(segment).toHaveLength(6);
    expect(segment[0]?.context.library).toMatchObject({ name: '@segment/analytics-node' });

    const identify = byName(segment, 'identify');
    expect(identify.identity).toEqual({
      userId: 'seg-user-1',
      anonymousId: 'seg-anon-1',
      email: 'ada.lovelace@example.com',
      phone: '+14155552671',
    });
    expect(identify.traits.plan).toBe('pro');
    expect(identify.eventId).toMatch(/.+/);
    expectSkewCorrected(identify, at(0));

    const track = byName(segment, 'Order Completed');
    expect(track).toMatchObject({ type: 'track', properties: { total: 42 } });
    expectSkewCorrected(track, at(1));
    expect(byName(segment, 'page_view')).toMatchObject({
      type: 'page',
      name: 'Pricing',
      identity: { anonymousId: 'seg-anon-1' },
    });
    expect(byName(segment, 'screen_view')).toMatchObject({ type: 'screen', name: 'Cart' });
    const group = byName(segment, 'group');
    expect(group).toMatchObject({ groupId: 'acme', traits: { name: 'Acme' } });
    expect(group.identity.email).toBeUndefined();
    expect(byName(segment, 'alias').identity).toEqual({ userId: 'seg-user-1', previousId: 'seg-anon-1' });
    expect(new Set(segment.map((e) => e.eventId)).size).toBe(6);
  });

  it('accepts and normalizes every call of the RudderStack Node SDK (gzip bodies)', async () => {
    const client = new RudderAnalytics('key-ios', {
      dataPlaneUrl: collector.url,
      flushAt: 6,
      flushInterval: 60_000,
      retryCount: 0,
      logLevel: 'error',
      gzip: true,
    });
    const failures: unknown[] = [];
    client.identify(
      {
        userId: 'rud-user-1',
        anonymousId: 'rud-anon-1',
        traits: { email: 'GRACE@example.org', phone: '+44 20 7946 0958' },
        timestamp: at(10),
      },
      (err?: unknown) => err && failures.push(err),
    );
    client.track({
      userId: 'rud-user-1',
      event: 'Signed Up',
      properties: { plan: 'free' },
    });
    client.page({ anonymousId: 'rud-anon-1', name: 'Home', properties: { path: '/' }, timestamp: at(12) });
    client.screen({ userId: 'rud-user-1', name: 'Settings', timestamp: at(13) });
    client.group({ userId: 'rud-user-1', groupId: 'initech', traits: { employees: 12 }, timestamp: at(14) });
    client.alias({ userId: 'rud-user-1', previousId: 'rud-anon-1', timestamp: at(15) });
    await client.flush();

    expect(failures).toEqual([]);
    const events = collector.log
      .records()
      .map((r) => r.event)
      .filter((e) => e.source === 'ios');
    expect(events).toHaveLength(6);
    const identify = byName(events, 'identify');
    expect(identify.identity).toEqual({
      userId: 'rud-user-1',
      anonymousId: 'rud-anon-1',
      email: 'grace@example.org',
      phone: '+442079460958',
    });
    // RudderStack stamps originalTimestamp itself (enqueue time) and sends the caller's time as
    // `timestamp`: that explicit time is kept as is, like rudder-server does
    expect(identify.timestamp).toBe(at(10).toISOString());
    expect(Math.abs(Date.parse(identify.originalTimestamp!) - Date.now())).toBeLessThan(60_000);
    expect(identify.sentAt).toBeDefined();
    // without a caller's time: the SDK's originalTimestamp, skew-corrected with its sentAt
    const signedUp = byName(events, 'Signed Up');
    expect(signedUp.properties).toEqual({ plan: 'free' });
    expectSkewCorrected(signedUp, new Date(signedUp.originalTimestamp!));
    expect(byName(events, 'page_view')).toMatchObject({
      name: 'Home',
      identity: { anonymousId: 'rud-anon-1' },
    });
    expect(byName(events, 'screen_view').name).toBe('Settings');
    expect(byName(events, 'group').groupId).toBe('initech');
    expect(byName(events, 'alias').identity).toEqual({ userId: 'rud-user-1', previousId: 'rud-anon-1' });
    expect(events.every((e) => e.receivedAt.endsWith('Z'))).toBe(true);
  });

  it('partitions by the first of userId, anonymousId, email, phone', () => {
    const records = collector.log.records();
    const page = records.find((r) => r.event.eventName === 'page_view' && r.event.source === 'ios');
    expect(page?.partitionKey).toBe('rud-anon-1');
    const identify = records.find((r) => r.event.eventName === 'identify' && r.event.source === 'ios');
    expect(identify?.partitionKey).toBe('rud-user-1');
  });
});
