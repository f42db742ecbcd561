/**
 * The Spectrum schema step of a Redshift run: the SQL it generates, and that the runner sends it through
 * the Redshift Data API adapter before any model. The adapter talks to a recorded-response client (no
 * Redshift emulator exists; see adapters/aws/redshift-data-warehouse.test.ts), which is enough to see
 * which statements go out and in what order.
 */
import { join } from 'node:path';
import { createRedshiftDataWarehouse } from '../../adapters/aws/redshift-data-warehouse';
import { glueDatabaseName } from '../../contracts/aws-resources';
import { loadProject } from './project';
import { createSqlRunner } from './runner';
import { externalSchemaSql } from './spectrum-schema';

const ROLE = 'arn:aws:iam::111122223333:role/tributary-dev-redshift';

function finishedStatements() {
  const sqls: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      switch (command.constructor.name) {
        case 'ExecuteStatementCommand':
          sqls.push(String(command.input.Sql));
          return { Id: `q${sqls.length}` };
        case 'BatchExecuteStatementCommand':
          sqls.push(...(command.input.Sqls as string[]));
          return { Id: `b${sqls.length}` };
        case 'DescribeStatementCommand':
          return { Status: 'FINISHED', HasResultSet: false };
        default:
          throw new Error(`unexpected ${command.constructor.name}`);
      }
    },
  } as never;
  return {
    sqls,
    warehouse: createRedshiftDataWarehouse({ database: 'tributary', workgroupName: 'wg' }, { client }),
  };
}

describe('Spectrum external schema', () => {
  test('maps the Glue database of the deployment with the role, into the sources\u2019 schema', () => {
    // Act
    const sql = externalSchemaSql({ glueDatabase: glueDatabaseName('tributary', 'dev'), iamRoleArn: ROLE });

    // Assess
    expect(sql).toBe(
      "create external schema if not exists lake from data catalog database 'tributary_dev' iam_role 'arn:aws:iam::111122223333:role/tributary-dev-redshift'",
    );
  });

  test('refuses names that are not what the deployment makes (they land in SQL text)', () => {
    expect(() => externalSchemaSql({ glueDatabase: "db' iam_role 'x", iamRoleArn: ROLE })).toThrow();
    expect(() =>
      externalSchemaSql({ glueDatabase: 'tributary_dev', iamRoleArn: "arn:aws:iam::1:role/x'" }),
    ).toThrow();
    expect(() =>
      externalSchemaSql({ schema: 'lake; drop table x', glueDatabase: 'tributary_dev', iamRoleArn: ROLE }),
    ).toThrow();
  });

  test('a Redshift run creates the schema through the Data API before building any model', async () => {
    // Prepare
    const { sqls, warehouse } = finishedStatements();
    const project = await loadProject(join(__dirname, '..', '..', 'sql'));
    const runner = createSqlRunner(
      { spectrum: { glueDatabase: 'tributary_dev', iamRoleArn: ROLE } },
      { warehouse, project },
    );

    // Act
    const result = await runner.run();

    // Assess
    expect(result.ok).toBe(true);
    const create = sqls.indexOf(externalSchemaSql({ glueDatabase: 'tributary_dev', iamRoleArn: ROLE }));
    const firstModel = sqls.findIndex((s) => /^\s*create (table|view)/i.test(s));
    expect(create).toBeGreaterThanOrEqual(0);
    expect(firstModel).toBeGreaterThan(create);
    expect(sqls.filter((s) => s.includes('external schema'))).toHaveLength(1);
  });

  test('without Spectrum settings a Redshift run sends no external schema statement', async () => {
    // Prepare
    const { sqls, warehouse } = finishedStatements();
    const project = await loadProject(join(__dirname, '..', '..', 'sql'));

    // Act
    const result = await createSqlRunner({}, { warehouse, project }).run();

    // Assess
    expect(result.ok).toBe(true);
    expect(sqls.length).toBeGreaterThan(0);
    expect(sqls.some((s) => s.includes('external schema'))).toBe(false);
  });
});
