import type { CountryCode } from '../../contracts/identifier';
import { normalizeEmail, normalizePhone } from '../../contracts/identifier';
import type { MappingField } from '../../contracts/import-mapping';
import { compileDateFormat, formatDate, formatDateTime } from './date-format';
import { canonicalDecimal } from './decimal';

/** A parsed cell: its value, `undefined` for an empty cell, or why it is refused. */
export type FieldResult =
  | { ok: true; value: string | number | boolean | undefined }
  | { ok: false; reason: string };

/** Parses one cell of a column. */
export type FieldParser = (raw: string) => FieldResult;

const DEFAULT_TRUE = ['true', 'yes', 'y', '1'];
const DEFAULT_FALSE = ['false', 'no', 'n', '0'];

/** The parser of one mapped field; values are trimmed first and empty cells give `undefined`. */
export function createFieldParser(field: MappingField): FieldParser {
  const empty: FieldResult = { ok: true, value: undefined };
  const withText = (parse: (text: string) => FieldResult): FieldParser => {
    return (raw) => {
      const text = raw.trim();
      return text.length === 0 ? empty : parse(text);
    };
  };
  switch (field.type) {
    case 'string':
      return withText((text) => ({ ok: true, value: text }));
    case 'email':
      return withText((text) => {
        const email = normalizeEmail(text);
        return email === undefined
          ? { ok: false, reason: 'not an email address' }
          : { ok: true, value: email };
      });
    case 'phone': {
      const country = field.defaultCountry as CountryCode;
      return withText((text) => {
        const phone = normalizePhone(text, country);
        return phone === undefined
          ? { ok: false, reason: `not a valid phone number (default country ${field.defaultCountry})` }
          : { ok: true, value: phone };
      });
    }
    case 'decimal':
      return withText((text) => {
        const d = canonicalDecimal(text);
        return d.ok ? { ok: true, value: Number(d.value) } : d;
      });
    case 'boolean': {
      const yes = (field.trueValues ?? DEFAULT_TRUE).map((v) => v.trim().toLowerCase());
      const no = (field.falseValues ?? DEFAULT_FALSE).map((v) => v.trim().toLowerCase());
      const reason = `not a boolean (expected one of ${[...yes, ...no].join(', ')})`;
      return withText((text) => {
        const v = text.toLowerCase();
        if (yes.includes(v)) return { ok: true, value: true };
        if (no.includes(v)) return { ok: true, value: false };
        return { ok: false, reason };
      });
    }
    case 'date':
    case 'datetime': {
      const readers = field.formats.map(compileDateFormat);
      const format = field.type === 'date' ? formatDate : formatDateTime;
      const noMatch = `does not match the date format${field.formats.length > 1 ? 's' : ''} ${field.formats.join(' | ')}`;
      return withText((text) => {
        let sawImpossible = false;
        for (const read of readers) {
          const d = read(text);
          if (d === 'no-match') continue;
          if (d === 'not-a-date') {
            sawImpossible = true;
            continue;
          }
          return { ok: true, value: format(d) };
        }
        return { ok: false, reason: sawImpossible ? 'not a calendar date' : noMatch };
      });
    }
  }
}
