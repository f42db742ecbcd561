import { CanonicalEvent } from './canonical-event';
import { partitionKeyOf } from './normalize-identity';
import type { IngestContext } from './normalize-result';
import { normalizeSegmentEvent } from './normalize-segment-event';

const receivedAtMs = Date.parse('2024-05-01T12:00:10.000Z');
const ctx: IngestContext = {
  source: 'web',
  receivedAtMs,
  receivedAt: new Date(receivedAtMs).toISOString(),
  newEventId: () => 'generated-id',
};

function ok(input: unknown, type?: Parameters<typeof normalizeSegmentEvent>[2]) {
  const result = normalizeSegmentEvent(input, ctx, type);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  expect(CanonicalEvent.safeParse(result.value).success).toBe(true);
  return result;
}

function errors(input: unknown, type?: Parameters<typeof normalizeSegmentEvent>[2]) {
  const result = normalizeSegmentEvent(input, ctx, type);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('normalizeSegmentEvent', () => {
  it('maps an identify with traits to the canonical event', () => {
    const { value, warnings } = ok({
      type: 'identify',
      userId: 'u1',
      anonymousId: 'a1',
      messageId: 'm1',
      traits: { email: '  Ada@Example.COM ', phone: '+1 415 555 2671', plan: 'pro' },
      timestamp: '2024-05-01T12:00:00.000Z',
    });
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({
      eventId: 'm1',
      type: 'identify',
      eventName: 'identify',
      source: 'web',
      receivedAt: '2024-05-01T12:00:10.000Z',
      timestamp: '2024-05-01T12:00:00.000Z',
      identity: { userId: 'u1', anonymousId: 'a1', email: 'ada@example.com', phone: '+14155552671' },
      traits: { email: '  Ada@Example.COM ', plan: 'pro' },
    });
  });

  it('names page and screen views, keeps track event names, keeps the type of group and alias', () => {
    expect(ok({ type: 'page', userId: 'u', name: 'Home' }).value).toMatchObject({
      eventName: 'page_view',
      name: 'Home',
    });
    expect(ok({ type: 'screen', userId: 'u', name: 'Cart' }).value.eventName).toBe('screen_view');
    expect(ok({ type: 'track', userId: 'u', event: 'Order Completed' }).value.eventName).toBe(
      'Order Completed',
    );
    expect(ok({ type: 'group', userId: 'u', groupId: 42 }).value).toMatchObject({
      eventName: 'group',
      groupId: '42',
    });
    expect(ok({ type: 'alias', userId: 'u', previousId: 'anon-1' }).value).toMatchObject({
      eventName: 'alias',
      identity: { userId: 'u', previousId: 'anon-1' },
    });
  });

  it('corrects clock skew with sentAt and receivedAt as Segment does', () => {
    // device clock 1 h behind: sent "11:00:09", received 12:00:10 → event at 11:00:00 + 1h00m01s
    const { value } = ok({
      type: 'track',
      userId: 'u',
      event: 'e',
      originalTimestamp: '2024-05-01T11:00:00.000Z',
      sentAt: '2024-05-01T11:00:09.000Z',
    });
    expect(value.timestamp).toBe('2024-05-01T12:00:01.000Z');
    expect(value.originalTimestamp).toBe('2024-05-01T11:00:00.000Z');
    expect(value.sentAt).toBe('2024-05-01T11:00:09.000Z');
  });

  it('uses timestamp when there is no originalTimestamp, receivedAt when there is no client time', () => {
    expect(
      ok({ type: 'track', userId: 'u', event: 'e', timestamp: '2024-05-01T14:00:00+02:00' }).value.timestamp,
    ).toBe('2024-05-01T12:00:00.000Z');
    expect(ok({ type: 'track', userId: 'u', event: 'e' }).value.timestamp).toBe(ctx.receivedAt);
  });

  it('keeps an explicit timestamp sent next to originalTimestamp (RudderStack SDKs) uncorrected', () => {
    const { value } = ok({
      type: 'track',
      userId: 'u',
      event: 'e',
      timestamp: '2020-01-01T00:00:00.000Z',
      originalTimestamp: '2024-05-01T11:00:00.000Z',
      sentAt: '2024-05-01T11:00:09.000Z',
    });
    expect(value.timestamp).toBe('2020-01-01T00:00:00.000Z');
  });

  it('generates an event id when messageId is absent', () => {
    expect(ok({ type: 'track', userId: 'u', event: 'e' }).value.eventId).toBe('generated-id');
  });

  it('reads email and phone from context.traits and custom ids from context.externalIds', () => {
    const { value } = ok({
      type: 'track',
      event: 'e',
      context: {
        traits: { email: 'B@B.io', phone: '+44 20 7946 0958' },
        externalIds: [
          { id: 'C-42', type: 'crmId', collection: 'users', encoding: 'none' },
          { id: 7, type: 'Zendesk ID' },
          { id: 'b@b.io', type: 'email' },
        ],
      },
    });
    expect(value.identity).toEqual({
      email: 'b@b.io',
      phone: '+442079460958',
      externalIds: [
        { type: 'crm_id', value: 'C-42' },
        { type: 'zendesk_id', value: '7' },
      ],
    });
  });

  it('does not take the group traits email as the person’s email', () => {
    const { value } = ok({ type: 'group', userId: 'u', groupId: 'g', traits: { email: 'info@acme.com' } });
    expect(value.identity.email).toBeUndefined();
  });

  it('keeps an invalid email in traits with a warning when another identifier exists', () => {
    const { value, warnings } = ok({ type: 'identify', userId: 'u', traits: { email: 'not-an-email' } });
    expect(value.identity).toEqual({ userId: 'u' });
    expect(value.traits.email).toBe('not-an-email');
    expect(warnings).toEqual([
      { path: 'traits.email', message: expect.stringContaining('not a valid email') },
    ]);
  });

  it('treats an empty email or phone as absent, not invalid', () => {
    const { value, warnings } = ok({ type: 'identify', userId: 'u', traits: { email: '', phone: '' } });
    expect(warnings).toEqual([]);
    expect(value.identity).toEqual({ userId: 'u' });
  });

  it('refuses an event whose only identifier is an invalid phone', () => {
    expect(errors({ type: 'identify', traits: { phone: '12' } })).toEqual([
      { path: 'traits.phone', message: expect.stringContaining('no other identifier') },
    ]);
  });

  it('refuses an event without any identifier', () => {
    expect(errors({ type: 'track', event: 'e' })).toEqual([
      { path: 'userId', message: expect.stringContaining('no identifier') },
    ]);
  });

  it('names the valid types when type is unknown or missing', () => {
    expect(errors({ type: 'purchase', userId: 'u' })).toEqual([
      {
        path: 'type',
        message: 'type must be one of identify, track, page, screen, group, alias; got "purchase"',
      },
    ]);
    expect(errors({ userId: 'u' })[0]?.message).toContain('it is missing');
  });

  it('reports wrong types with their paths', () => {
    const errs = errors({
      type: 'track',
      userId: { id: 1 },
      event: 5,
      timestamp: 'yesterday',
      properties: [],
    });
    expect(errs.map((e) => e.path).sort()).toEqual(['event', 'properties', 'timestamp', 'userId']);
    expect(errs.find((e) => e.path === 'timestamp')?.message).toContain('ISO-8601');
  });

  it('lets single-call endpoints leave type out, but not contradict it', () => {
    expect(ok({ userId: 'u', event: 'e' }, 'track').value.type).toBe('track');
    expect(errors({ type: 'identify', userId: 'u', event: 'e' }, 'track')[0]?.path).toBe('type');
  });

  it('refuses alias without previousId and a skew correction that leaves the calendar', () => {
    expect(errors({ type: 'alias', userId: 'u' })[0]?.path).toBe('previousId');
    expect(
      errors({
        type: 'track',
        userId: 'u',
        event: 'e',
        originalTimestamp: '9999-12-31T00:00:00Z',
        sentAt: '0001-01-01T00:00:00Z',
      })[0]?.path,
    ).toBe('sentAt');
  });

  it('merges batch-level context, integrations and sentAt under the event’s own', () => {
    const result = normalizeSegmentEvent(
      {
        type: 'track',
        userId: 'u',
        event: 'e',
        originalTimestamp: '2024-05-01T12:00:00Z',
        context: { a: 2 },
      },
      ctx,
      undefined,
      { sentAt: '2024-05-01T12:00:05Z', context: { a: 1, b: 1 }, integrations: { All: false } },
    );
    expect(result.ok && result.value).toMatchObject({
      timestamp: '2024-05-01T12:00:05.000Z',
      context: { a: 2, b: 1 },
      integrations: { All: false },
    });
  });

  it('accepts the nulls analytics.js sends for unset fields', () => {
    expect(
      ok({ type: 'page', userId: null, anonymousId: 'a', name: null, properties: {} }).value.identity,
    ).toEqual({
      anonymousId: 'a',
    });
  });

  it('returns errors, never throws, for non-objects', () => {
    for (const input of [null, undefined, 1, 'x', [], true]) {
      expect(normalizeSegmentEvent(input, ctx).ok).toBe(false);
    }
  });
});

describe('partitionKeyOf', () => {
  it('takes the first present of userId, anonymousId, email, phone', () => {
    expect(partitionKeyOf({ userId: 'u', anonymousId: 'a', email: 'e@x.io' }, 'id')).toBe('u');
    expect(partitionKeyOf({ anonymousId: 'a', email: 'e@x.io' }, 'id')).toBe('a');
    expect(partitionKeyOf({ email: 'e@x.io', phone: '+14155552671' }, 'id')).toBe('e@x.io');
    expect(partitionKeyOf({ phone: '+14155552671' }, 'id')).toBe('+14155552671');
    expect(partitionKeyOf({ externalIds: [{ type: 'crm_id', value: 'C1' }] }, 'id')).toBe('crm_id:C1');
  });
});
