import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { type CountryCode, normalizePhone } from '../../contracts/identifier';
import { compileDateFormat } from './date-format';
import { canonicalDecimal } from './decimal';
import { createFieldParser } from './field-parsers';

const base = { column: 'C', field: 'f' };

describe('decimals', () => {
  it.each([
    ['1234.50', '1234.5'],
    ['-0012.50', '-12.5'],
    ['-0.00', '0'],
    ['+7', '7'],
    ['0.000001', '0.000001'],
    ['100', '100'],
  ])('%s has the canonical text %s', (text, want) => {
    expect(canonicalDecimal(text)).toEqual({ ok: true, value: want });
  });

  it.each(['1,234.50', '1e5', '12abc', '.5', '5.', ' 5', 'NaN', '１２'])(
    '%s is not a plain decimal',
    (text) => {
      expect(canonicalDecimal(text)).toEqual({ ok: false, reason: 'not a plain decimal number' });
    },
  );

  it('refuses what a double cannot hold exactly', () => {
    expect(canonicalDecimal('1234567890123456').ok).toBe(false);
    expect(canonicalDecimal('0.0000001').ok).toBe(false);
    expect(canonicalDecimal('123456789012345').ok).toBe(true);
  });

  it('every accepted decimal prints as its canonical text in JSON (what the Python job writes)', () => {
    const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));
    fc.assert(
      fc.property(fc.boolean(), digits(15), fc.option(digits(6)), (negative, int, frac) => {
        const parsed = canonicalDecimal(`${negative ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`);
        if (parsed.ok) expect(JSON.stringify(Number(parsed.value))).toBe(parsed.value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('dates', () => {
  it('checks the calendar and the exact shape', () => {
    const read = compileDateFormat('yyyy-MM-dd');
    expect(read('2024-02-29')).toMatchObject({ year: 2024, month: 2, day: 29 });
    expect(read('2023-02-29')).toBe('not-a-date');
    expect(read('2024-2-29')).toBe('no-match');
    expect(compileDateFormat('M/d/yyyy')('3/7/2024')).toMatchObject({ year: 2024, month: 3, day: 7 });
    expect(compileDateFormat("yyyy-MM-dd'T'HH:mm")('2024-03-07T23:59')).toMatchObject({
      hour: 23,
      minute: 59,
    });
    expect(read('２０２４-01-01')).toBe('no-match');
  });

  it('a datetime field writes ISO-8601 UTC with milliseconds', () => {
    const parse = createFieldParser({ ...base, type: 'datetime', formats: ['yyyy-MM-dd HH:mm:ss.SSS'] });
    expect(parse(' 2024-03-15 23:59:59.123 ')).toEqual({ ok: true, value: '2024-03-15T23:59:59.123Z' });
    expect(parse('2024-03-15 24:00:00.000')).toEqual({ ok: false, reason: 'not a calendar date' });
  });
});

describe('booleans, emails, empty cells', () => {
  it('reads booleans case-insensitively with custom values', () => {
    const parse = createFieldParser({ ...base, type: 'boolean', trueValues: ['Ja'], falseValues: ['Nein'] });
    expect(parse('JA')).toEqual({ ok: true, value: true });
    expect(parse('nein')).toEqual({ ok: true, value: false });
    expect(parse('yes')).toEqual({ ok: false, reason: 'not a boolean (expected one of ja, nein)' });
  });

  it('an empty or blank cell is undefined for every type', () => {
    for (const type of ['string', 'email', 'decimal', 'boolean'] as const)
      expect(createFieldParser({ ...base, type })('  ')).toEqual({ ok: true, value: undefined });
  });
});

describe('phone vectors shared with the Glue job', () => {
  const phones = JSON.parse(
    readFileSync(join(__dirname, '../../test/fixtures/crm-import/phones.json'), 'utf8'),
  ) as {
    agree: Array<{ input: string; defaultCountry: CountryCode; e164: string | null }>;
    disagree: Array<{ input: string; defaultCountry: CountryCode; typescript: string | null }>;
  };
  it.each(phones.agree.map((v) => [v.input, v.defaultCountry, v.e164] as const))(
    '%s in %s → %s',
    (input, c, e164) => {
      expect(normalizePhone(input, c) ?? null).toBe(e164);
    },
  );
  it('the documented disagreements still hold on this side', () => {
    for (const v of phones.disagree)
      expect(normalizePhone(v.input, v.defaultCountry) ?? null).toBe(v.typescript);
  });
});
