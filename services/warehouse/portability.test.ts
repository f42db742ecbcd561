import { checkPortability } from './portability';
import { rewriteListagg } from './postgres-dialect';
import { splitStatements } from './sql-scan';

describe('portability check', () => {
  test('flags constructs one target cannot run, with their lines, and ignores literals and comments', () => {
    // Prepare
    const sql = [
      'select',
      "  string_agg(a, ',') as names,",
      "  payload::jsonb ->> 'x' as x,",
      '  dateadd(day, 1, ts) as tomorrow, -- string_agg in a comment is fine',
      "  'now() in a string is fine' as note",
      'from t',
      'qualify row_number() over (partition by a order by b) = 1',
    ].join('\n');

    // Act
    const issues = checkPortability('m', sql);

    // Assess
    expect(issues.map((i) => `${i.line} ${i.construct}`)).toEqual([
      '2 string_agg',
      '3 json/jsonb type',
      '3 -> / ->>',
      '4 unquoted date part',
      '7 qualify',
    ]);
  });

  test('the shimmed Redshift forms pass', () => {
    const sql =
      "select nvl(a, 0), getdate(), dateadd('day', 1, ts), datediff('second', a, b), json_extract_path_text(p, 'amount'), listagg(x, ',') within group (order by x) from t";
    expect(checkPortability('m', sql)).toEqual([]);
  });
});

describe('PostgreSQL rewrite of listagg', () => {
  test('listagg ... within group becomes string_agg with the order inside', () => {
    expect(rewriteListagg("select listagg(name, ', ') within group (order by name desc) from t")).toBe(
      "select string_agg(name, ', ' order by name desc) from t",
    );
    expect(rewriteListagg("select listagg(x) from t where s = 'listagg(y)'")).toBe(
      "select string_agg(x, '') from t where s = 'listagg(y)'",
    );
  });

  test('splitStatements keeps semicolons inside literals and dollar-quoted bodies', () => {
    expect(
      splitStatements(
        "select ';'; create function f() returns int as $$ select 1; $$ language sql;\n-- done",
      ),
    ).toEqual(["select ';'", 'create function f() returns int as $$ select 1; $$ language sql']);
  });
});
