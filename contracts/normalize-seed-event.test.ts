import { CanonicalEvent } from './canonical-event';
import type { IngestContext } from './normalize-result';
import { normalizeSeedEvent } from './normalize-seed-event';

const ctx: IngestContext = {
  source: 'crm',
  receivedAtMs: Date.parse('2024-05-01T12:00:00Z'),
  receivedAt: '2024-05-01T12:00:00.000Z',
};

describe('normalizeSeedEvent', () => {
  it('maps the seed’s unified event, with custom identity keys as external ids', () => {
    const result = normalizeSeedEvent(
      {
        eventId: 'e-1',
        eventName: 'purchase',
        timestamp: '2024-04-30T10:00:00Z',
        source: 'web',
        identity: { userId: 'u1', email: 'X@Y.com', crm_id: 'C-42', loyaltyNumber: 99 },
        properties: { total: 12 },
        context: { page: { url: 'https://shop', title: 'Shop' }, campaign: { source: 'mail' } },
      },
      ctx,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(CanonicalEvent.safeParse(result.value).success).toBe(true);
    expect(result.value).toMatchObject({
      eventId: 'e-1',
      type: 'track',
      eventName: 'purchase',
      timestamp: '2024-04-30T10:00:00.000Z',
      source: 'crm',
      identity: {
        userId: 'u1',
        email: 'x@y.com',
        externalIds: [
          { type: 'crm_id', value: 'C-42' },
          { type: 'loyalty_number', value: '99' },
        ],
      },
      properties: { total: 12 },
      context: { declaredSource: 'web', page: { url: 'https://shop' } },
    });
  });

  it('turns page_view into a page call and identify properties into traits', () => {
    const page = normalizeSeedEvent(
      { eventName: 'page_view', timestamp: '2024-04-30T10:00:00Z', identity: { anonymousId: 'a' } },
      ctx,
    );
    expect(page.ok && page.value.type).toBe('page');
    const identify = normalizeSeedEvent(
      {
        eventName: 'identify',
        timestamp: '2024-04-30T10:00:00Z',
        identity: { userId: 'u' },
        properties: { plan: 'pro' },
      },
      ctx,
    );
    expect(identify.ok && identify.value).toMatchObject({
      type: 'identify',
      traits: { plan: 'pro' },
      properties: {},
    });
  });

  it('refuses an event without identifier, name or timestamp, with paths', () => {
    const result = normalizeSeedEvent({ identity: {} }, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path).sort()).toEqual(['eventName', 'timestamp']);
    const noId = normalizeSeedEvent({ eventName: 'x', timestamp: '2024-04-30T10:00:00Z', identity: {} }, ctx);
    expect(!noId.ok && noId.errors[0]?.path).toBe('identity');
  });

  it('refuses a custom identifier that is not a string', () => {
    const result = normalizeSeedEvent(
      { eventName: 'x', timestamp: '2024-04-30T10:00:00Z', identity: { userId: 'u', crm: { id: 1 } } },
      ctx,
    );
    expect(!result.ok && result.errors[0]?.path).toBe('identity.crm');
  });
});
