/**
 * Models as Redshift gets them. stg_events: the external ids of the Spectrum `identity` struct are unnested and
 * written back as JSON array text, as the PostgreSQL branch has them. No Redshift here: the rendering is
 * checked (and kept portable), and the JSON each id becomes is built on PGlite from the rendered
 * expression itself and parsed back.
 */
import { join } from 'node:path';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { checkPortability } from './portability';
import { loadProject } from './project';
import { createSqlRunner } from './runner';

const redshiftShapedWarehouse: Warehouse = {
  dialect: 'redshift',
  query: async () => ({ rows: [] }),
  batch: async () => undefined,
  close: async () => undefined,
};

async function renderedFor(dialect: Warehouse['dialect'], name: string): Promise<string> {
  const project = await loadProject(join(__dirname, '..', '..', 'sql'));
  const warehouse = { ...redshiftShapedWarehouse, dialect };
  const compiled = createSqlRunner({}, { warehouse, project }).compile();
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.failures));
  const model = compiled.models.find((m) => m.name === name);
  if (model === undefined) throw new Error(`no ${name}`);
  return model.sql;
}

const renderedStgEvents = () => renderedFor('redshift', 'stg_events');

describe('stg_events on Redshift', () => {
  test('unnests identity.externalids and joins them to each event, portably', async () => {
    // Act
    const sql = await renderedStgEvents();

    // Assess
    expect(sql).toMatch(/from lake\.events as x_e, x_e\.identity\.externalids as x/);
    expect(sql).toMatch(/left join event_external_ids using \(event_id\)/);
    expect(sql).not.toMatch(/cast\(null as varchar\) as external_ids/);
    expect(checkPortability('stg_events', sql)).toEqual([]);
  });

  test('each id becomes a JSON object that parses back to its type and value', async () => {
    // Prepare: the element expression exactly as rendered, run over awkward values.
    const sql = await renderedStgEvents();
    const element = /listagg\(distinct\s+([\s\S]+?), ','\) \|\| '\]'/.exec(sql)?.[1];
    expect(element).toBeDefined();
    const warehouse = await createPgliteWarehouse();
    try {
      // Act
      const r = await warehouse.query(
        `select '[' || string_agg(${element}, ',' order by n) || ']' as ids
         from (values (1, 'crm_id', 'C-1'), (2, 'quote"d', 'back\\slash'), (3, 'tab', 'a' || chr(9) || 'b'))
           as x(n, type, value)`,
      );

      // Assess
      expect(JSON.parse(String(r.rows[0]?.ids))).toEqual([
        { type: 'crm_id', value: 'C-1' },
        { type: 'quote"d', value: 'back\\slash' },
        { type: 'tab', value: 'ab' },
      ]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('fct_sessions on Redshift', () => {
  test("windows partition by profile_id (int_profile_events' distribution key), on PostgreSQL by profile_number", async () => {
    // Act
    const redshift = await renderedFor('redshift', 'fct_sessions');
    const postgres = await renderedFor('postgres', 'fct_sessions');

    // Assess
    expect(redshift).toContain('profile_id as profile_key');
    expect(postgres).toContain('profile_number as profile_key');
    expect(redshift.match(/partition by profile_key/g)).toHaveLength(8);
    expect(checkPortability('fct_sessions', redshift)).toEqual([]);
  });
});
