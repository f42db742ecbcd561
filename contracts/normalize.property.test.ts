import fc from 'fast-check';
import { CanonicalEvent } from './canonical-event';
import type { IngestContext } from './normalize-result';
import { normalizeSeedEvent } from './normalize-seed-event';
import { normalizeSegmentEvent } from './normalize-segment-event';

const ctx: IngestContext = {
  source: 'web',
  receivedAtMs: Date.parse('2024-05-01T12:00:00Z'),
  receivedAt: '2024-05-01T12:00:00.000Z',
};

const id = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /\S/.test(s));
const iso = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const json = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });

const segmentEvent = fc
  .record(
    {
      type: fc.constantFrom('identify', 'track', 'page', 'screen', 'group', 'alias'),
      userId: id,
      anonymousId: id,
      messageId: fc.string({ minLength: 1, maxLength: 64 }),
      email: fc.emailAddress(),
      timestamp: iso,
      sentAt: iso,
      properties: json,
      context: json,
    },
    { requiredKeys: ['type', 'userId'] },
  )
  .map(({ email, ...e }) => ({
    ...e,
    event: 'Something Happened',
    groupId: 'g-1',
    previousId: 'prev-1',
    ...(email === undefined ? {} : { traits: { email: ` ${email.toUpperCase()} ` } }),
  }));

describe('normalization properties', () => {
  it('any valid Segment event survives normalization with its ids intact', () => {
    fc.assert(
      fc.property(segmentEvent, (input) => {
        const result = normalizeSegmentEvent(input, ctx);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const event = result.value;
        expect(CanonicalEvent.safeParse(event).success).toBe(true);
        expect(event.identity.userId).toBe(input.userId);
        expect(event.identity.anonymousId).toBe(input.anonymousId);
        if (input.messageId !== undefined) expect(event.eventId).toBe(input.messageId);
        else expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
        // group traits are the group's, not the person's
        if (input.traits && input.type !== 'group') {
          expect(event.identity.email).toBe(input.traits.email.trim().toLowerCase());
        }
        if (input.type === 'alias') expect(event.identity.previousId).toBe('prev-1');
        expect(event.source).toBe('web');
      }),
      { numRuns: 500 },
    );
  });

  it('any valid seed event survives normalization with its ids intact', () => {
    const seed = fc.record({
      eventId: fc.string({ minLength: 1, maxLength: 64 }),
      eventName: id,
      timestamp: iso,
      identity: fc.record({ userId: id, anonymousId: id }, { requiredKeys: ['anonymousId'] }),
      properties: json,
    });
    fc.assert(
      fc.property(seed, (input) => {
        const result = normalizeSeedEvent(input, ctx);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        expect(CanonicalEvent.safeParse(result.value).success).toBe(true);
        expect(result.value.eventId).toBe(input.eventId);
        expect(result.value.identity.userId).toBe(input.identity.userId);
        expect(result.value.identity.anonymousId).toBe(input.identity.anonymousId);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary input, and whatever it accepts is a valid canonical event', () => {
    const mutated = fc.oneof(
      fc.anything(),
      fc.record({
        type: fc.constantFrom('identify', 'track', 'alias'),
        userId: fc.anything(),
        traits: fc.anything(),
      }),
      fc.record({
        type: fc.constant('track'),
        event: fc.anything(),
        anonymousId: fc.anything(),
        originalTimestamp: fc.anything(),
        sentAt: fc.anything(),
        context: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(mutated, (input) => {
        for (const result of [normalizeSegmentEvent(input, ctx), normalizeSeedEvent(input, ctx)]) {
          if (result.ok) expect(CanonicalEvent.safeParse(result.value).success).toBe(true);
          else expect(result.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
