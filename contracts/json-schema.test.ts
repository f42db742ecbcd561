import Ajv2020 from 'ajv/dist/2020';
import { contractJsonSchemas } from './json-schema';

describe('contractJsonSchemas', () => {
  const schemas = contractJsonSchemas();
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  for (const [name, schema] of Object.entries(schemas))
    ajv.addSchema({ ...schema, $id: undefined }, `#/$defs/${name}`);
  const validate = (name: string, data: unknown) => {
    const v = ajv.getSchema(`#/$defs/${name}`);
    if (!v) throw new Error(`no schema ${name}`);
    return v(data);
  };

  it('publishes every call type, the batch, the seed event and the canonical event', () => {
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'SegmentTrack',
        'SegmentEvent',
        'SegmentBatch',
        'SeedEvents',
        'CanonicalEvent',
      ]),
    );
  });

  it('agrees with the zod schemas on valid and invalid events', () => {
    expect(validate('SegmentEvent', { type: 'track', event: 'x', userId: 'u' })).toBe(true);
    expect(validate('SegmentEvent', { type: 'track', userId: 'u' })).toBe(false);
    expect(validate('SegmentEvent', { type: 'purchase', userId: 'u' })).toBe(false);
    expect(validate('SegmentBatch', { batch: [{ type: 'alias', userId: 'u', previousId: 'p' }] })).toBe(true);
    expect(validate('SegmentBatch', { batch: [{ type: 'alias', userId: 'u' }] })).toBe(false);
    expect(
      validate('SeedEvents', {
        events: [
          { eventName: 'e', timestamp: '2024-01-01T00:00:00Z', identity: { userId: 'u', crm_id: 'c' } },
        ],
      }),
    ).toBe(true);
  });
});
