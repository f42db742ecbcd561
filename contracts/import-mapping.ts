import { z } from 'zod';
import { IdentifierType } from './identifier';

/**
 * The declarative mapping of a batch import (CRM export, support dump): which CSV column becomes which
 * canonical field, how each value is parsed and normalized, which fields are identifiers and which are
 * traits, and the event each row becomes. The same JSON file drives the TypeScript importer
 * (`cdp import crm`) and the Glue PySpark job (glue-jobs/), which validates it against the JSON Schema
 * generated from this module (glue-jobs/mappings/import-mapping.schema.json) plus the same semantic
 * checks as `checkImportMapping`.
 */

/**
 * Date format tokens: `yyyy` `MM` `M` `dd` `d` `HH` `H` `mm` `ss` `SSS`; other letters only inside
 * single quotes (`yyyy-MM-dd'T'HH:mm`); every other character stands for itself.
 */
export const DATE_FORMAT_TOKENS = ['yyyy', 'SSS', 'MM', 'dd', 'HH', 'mm', 'ss', 'M', 'd', 'H'] as const;
export type DateFormatToken = (typeof DATE_FORMAT_TOKENS)[number];

const FieldName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case');
const TraitName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be a letter or _, then letters, digits or _');

const FieldBase = {
  /** The CSV header of the source column (matched after trimming, BOM removed). */
  column: z.string().min(1),
  /** The canonical field name (`crm_id`, `email`, `lifetime_value`, ...). */
  field: FieldName,
  /** An empty cell rejects the row instead of leaving the field out. */
  required: z.boolean().optional(),
  /** The identifier type this field feeds (`email`, `phone`, `user_id`, or custom like `crm_id`). */
  identifier: IdentifierType.optional(),
  /** The trait name this field is written to on the event. */
  trait: TraitName.optional(),
};

/** Text, trimmed; empty after trimming counts as an empty cell. */
export const StringField = z.strictObject({ ...FieldBase, type: z.literal('string') });
/** An email address, trimmed and lower-cased (`normalizeEmail`). */
export const EmailField = z.strictObject({ ...FieldBase, type: z.literal('email') });
/** A phone number in E.164; numbers without `+` are read in `defaultCountry` (ISO 3166 alpha-2). */
export const PhoneField = z.strictObject({
  ...FieldBase,
  type: z.literal('phone'),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code'),
});
/**
 * A plain decimal (`-1234.50`, no thousands separators or exponents), at most 15 integer digits,
 * 6 fraction digits (after dropping trailing zeros) and 15 significant digits, so that it is exact as
 * a JSON number in both engines. Written as a JSON number.
 */
export const DecimalField = z.strictObject({ ...FieldBase, type: z.literal('decimal') });
/** A boolean; values compared case-insensitively after trimming. */
export const BooleanField = z.strictObject({
  ...FieldBase,
  type: z.literal('boolean'),
  trueValues: z.array(z.string().min(1)).min(1).optional(),
  falseValues: z.array(z.string().min(1)).min(1).optional(),
});
/** A calendar date, read with the first matching format, written as `YYYY-MM-DD`. */
export const DateField = z.strictObject({
  ...FieldBase,
  type: z.literal('date'),
  formats: z.array(z.string().min(1)).min(1),
});
/** A date and time in UTC, read with the first matching format, written as ISO-8601 with ms and `Z`. */
export const DateTimeField = z.strictObject({
  ...FieldBase,
  type: z.literal('datetime'),
  formats: z.array(z.string().min(1)).min(1),
});

/** One mapped column. */
export const MappingField = z.discriminatedUnion('type', [
  StringField,
  EmailField,
  PhoneField,
  DecimalField,
  BooleanField,
  DateField,
  DateTimeField,
]);
export type MappingField = z.infer<typeof MappingField>;

/** The whole mapping file. */
export const ImportMapping = z.strictObject({
  /** Mapping format version. */
  version: z.literal(1),
  /** Part of every event id: two mappings never produce the same id for the same row. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be lower-case letters, digits, _ . -'),
  /** The canonical `source` of the events (e.g. `crm`). */
  source: z.string().min(1).max(128),
  /** What each accepted row becomes: an `identify` call carrying the traits. */
  event: z.strictObject({ type: z.literal('identify') }),
  /** The CSV dialect. */
  csv: z
    .object({
      delimiter: z.string().length(1).optional(),
    })
    .optional(),
  /** The `date`/`datetime` field giving the event time; rows without it use the import time. */
  timestampField: FieldName.optional(),
  fields: z.array(MappingField).min(1),
});
export type ImportMapping = z.infer<typeof ImportMapping>;

/** A mapping problem found beyond the schema: where (`fields.2.formats.0`) and why. */
export interface MappingIssue {
  path: string;
  message: string;
}

/** Splits a date format into tokens and literals; `undefined` when it has an unknown letter or open quote. */
export function tokenizeDateFormat(
  format: string,
): Array<{ token: DateFormatToken } | { literal: string }> | undefined {
  const parts: Array<{ token: DateFormatToken } | { literal: string }> = [];
  let i = 0;
  outer: while (i < format.length) {
    for (const token of DATE_FORMAT_TOKENS) {
      if (format.startsWith(token, i)) {
        parts.push({ token });
        i += token.length;
        continue outer;
      }
    }
    const ch = format[i] as string;
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0 || end === i + 1) return undefined;
      parts.push({ literal: format.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) return undefined;
    parts.push({ literal: ch });
    i += 1;
  }
  return parts;
}

const TIME_TOKENS: readonly DateFormatToken[] = ['HH', 'H', 'mm', 'ss', 'SSS'];

/** The semantic checks the schema cannot express (formats, unique names, timestamp field). */
export function checkImportMapping(mapping: ImportMapping): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const fieldNames = new Set<string>();
  const traitNames = new Set<string>();
  const columns = new Set<string>();
  const identifiers = new Set<string>();
  mapping.fields.forEach((f, i) => {
    if (fieldNames.has(f.field))
      issues.push({ path: `fields.${i}.field`, message: `duplicate field ${f.field}` });
    fieldNames.add(f.field);
    if (columns.has(f.column.trim()))
      issues.push({ path: `fields.${i}.column`, message: `column ${f.column} mapped twice` });
    columns.add(f.column.trim());
    if (f.identifier !== undefined) {
      if (identifiers.has(f.identifier))
        issues.push({ path: `fields.${i}.identifier`, message: `identifier ${f.identifier} mapped twice` });
      identifiers.add(f.identifier);
      if (f.type !== 'string' && f.type !== 'email' && f.type !== 'phone')
        issues.push({
          path: `fields.${i}.identifier`,
          message: 'an identifier must be of type string, email or phone',
        });
      else if (f.identifier === 'email' && f.type !== 'email')
        issues.push({ path: `fields.${i}.identifier`, message: 'the email identifier needs type email' });
      else if (f.identifier === 'phone' && f.type !== 'phone')
        issues.push({ path: `fields.${i}.identifier`, message: 'the phone identifier needs type phone' });
    }
    if (f.trait !== undefined) {
      if (traitNames.has(f.trait))
        issues.push({ path: `fields.${i}.trait`, message: `duplicate trait ${f.trait}` });
      traitNames.add(f.trait);
    }
    if (f.type === 'date' || f.type === 'datetime') {
      f.formats.forEach((format, j) => {
        const parts = tokenizeDateFormat(format);
        const tokens = parts?.flatMap((p) => ('token' in p ? [p.token] : [])) ?? [];
        const path = `fields.${i}.formats.${j}`;
        if (!parts) issues.push({ path, message: 'unknown letter in date format' });
        else if (!tokens.includes('yyyy') || !tokens.some((t) => t === 'MM' || t === 'M'))
          issues.push({ path, message: 'a date format needs yyyy and MM (or M)' });
        else if (!tokens.some((t) => t === 'dd' || t === 'd'))
          issues.push({ path, message: 'a date format needs dd (or d)' });
        else if (new Set(tokens.map((t) => t[0])).size !== tokens.length)
          issues.push({ path, message: 'a date format uses a token twice' });
        else if (f.type === 'date' && tokens.some((t) => TIME_TOKENS.includes(t)))
          issues.push({ path, message: 'a date format has no time tokens (use type datetime)' });
        else if (f.type === 'datetime' && !tokens.some((t) => t === 'HH' || t === 'H'))
          issues.push({ path, message: 'a datetime format needs at least HH (or H)' });
      });
    }
    if (f.type === 'boolean') {
      const t = (f.trueValues ?? []).map((v) => v.trim().toLowerCase());
      const overlap = (f.falseValues ?? []).filter((v) => t.includes(v.trim().toLowerCase()));
      if (overlap.length > 0) issues.push({ path: `fields.${i}`, message: 'a value is both true and false' });
    }
  });
  if (!mapping.fields.some((f) => f.identifier !== undefined))
    issues.push({ path: 'fields', message: 'at least one field must be an identifier' });
  if (mapping.timestampField !== undefined) {
    const ts = mapping.fields.find((f) => f.field === mapping.timestampField);
    if (!ts || (ts.type !== 'date' && ts.type !== 'datetime'))
      issues.push({ path: 'timestampField', message: 'must name a date or datetime field' });
  }
  return issues;
}

/** Why a mapping file was refused: every problem with its path. */
export class ImportMappingError extends Error {
  constructor(
    readonly issues: MappingIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      `invalid import mapping: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
      options,
    );
    this.name = 'ImportMappingError';
  }
}

/** Validates a parsed mapping file (schema + semantic checks). */
export function parseImportMapping(
  raw: unknown,
): { ok: true; value: ImportMapping } | { ok: false; error: ImportMappingError } {
  const parsed = ImportMapping.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { ok: false, error: new ImportMappingError(issues, { cause: parsed.error }) };
  }
  const issues = checkImportMapping(parsed.data);
  if (issues.length > 0) return { ok: false, error: new ImportMappingError(issues) };
  return { ok: true, value: parsed.data };
}
