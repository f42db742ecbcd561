import fc from 'fast-check';
import { createIsoTimeCache, formatIsoTime, parseIsoTime } from './iso-time';

describe('iso-time', () => {
  it('formats exactly like Date#toISOString for every representable instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62167219200000, max: 253402300799999 }), (ms) => {
        expect(formatIsoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    expect(formatIsoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatIsoTime(86_399_999)).toBe('1970-01-01T23:59:59.999Z');
  });

  it('parses like Date.parse, also when the same text repeats', () => {
    const parse = createIsoTimeCache();
    for (const text of [
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T14:00:00+02:00',
    ]) {
      expect(parse(text)).toEqual({ ms: Date.parse(text), iso: new Date(text).toISOString() });
    }
    expect(parse('nope')).toBeUndefined();
  });

  it('reads ISO-8601 texts exactly like Date.parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62167219200000, max: 253402300799999 }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseIsoTime(text)).toBe(Date.parse(text));
      }),
      { numRuns: 5000 },
    );
    for (const text of [
      '2024-02-29T23:59:59.999Z',
      '2024-05-01T14:00:00+02:00',
      '2024-05-01T12:00:00Z',
      '2024-13-01T00:00:00.000Z',
    ]) {
      expect(parseIsoTime(text)).toEqual(Date.parse(text));
    }
  });
});
