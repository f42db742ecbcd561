import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import defaultMapping from '../glue-jobs/mappings/crm-default.json';
import { parseImportMapping } from './import-mapping';
import { importMappingJsonSchema } from './import-mapping-json-schema';

type Draft = { fields: Array<Record<string, unknown>>; [key: string]: unknown };
const clone = (): Draft => JSON.parse(JSON.stringify(defaultMapping));
const field = (m: Draft, i: number): Record<string, unknown> => m.fields[i] as Record<string, unknown>;

describe('ImportMapping', () => {
  it('accepts the default CRM mapping', () => {
    expect(parseImportMapping(defaultMapping).ok).toBe(true);
  });

  it.each([
    ['an unknown type', (m: Draft) => (field(m, 0).type = 'number'), 'fields.0.type'],
    [
      'a lower-case hour token',
      (m: Draft) => (field(m, 5).formats = ['yyyy-MM-dd hh']),
      'fields.5.formats.0',
    ],
    ['a time in a date field', (m: Draft) => (field(m, 5).formats = ['yyyy-MM-dd HH']), 'fields.5.formats.0'],
    ['an email column as phone id', (m: Draft) => (field(m, 1).identifier = 'phone'), 'fields.1.identifier'],
    ['a duplicate trait', (m: Draft) => (field(m, 2).trait = 'email'), 'fields.2.trait'],
    ['a non-date timestamp field', (m: Draft) => (m.timestampField = 'company'), 'timestampField'],
    ['a misspelled key', (m: Draft) => (field(m, 0).traits = 'typo'), 'fields.0'],
  ])('refuses %s with its path', (_, change, path) => {
    const m = clone();
    change(m);
    const parsed = parseImportMapping(m);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.issues.map((i) => i.path)).toContain(path);
  });

  it('the JSON Schema the Glue job validates with is the one generated from the zod schema', () => {
    const committed = JSON.parse(
      readFileSync(join(__dirname, '../glue-jobs/tributary_glue/import_mapping.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(importMappingJsonSchema());
  });
});
