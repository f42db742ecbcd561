import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_BLOCKED_EMAIL_LOCAL_PARTS, DEFAULT_BLOCKED_VALUES } from '../../processors/identity/config';
import { ProjectFile } from './project';

/** The values of a var holding SQL list text (`'a', 'b'`). */
function sqlList(text: unknown): string[] {
  if (typeof text !== 'string') throw new Error('not a string');
  return [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] as string).replaceAll("''", "'"));
}

describe('the warehouse models block what the processors block', () => {
  const project = ProjectFile.parse(
    parseYaml(readFileSync(join(__dirname, '../../sql/dbt_project.yml'), 'utf8')),
  );

  test('blocked identifier values are the identity defaults', () => {
    expect(sqlList(project.vars.blocked_identifier_values).sort()).toEqual(
      [...DEFAULT_BLOCKED_VALUES].sort(),
    );
  });

  test('generic e-mail local parts are the identity defaults', () => {
    expect(sqlList(project.vars.generic_email_local_parts).sort()).toEqual(
      [...DEFAULT_BLOCKED_EMAIL_LOCAL_PARTS].sort(),
    );
  });
});
