import type { DataTestSpec } from './project';

/** One data test, as the SQL that counts its failing rows. */
export interface DataTest {
  readonly name: string;
  readonly model: string;
  readonly column?: string;
  /** Returns one row with `failures`. */
  readonly sql: string;
}

const literal = (v: string | number | boolean) => `'${String(v).replace(/'/g, "''")}'`;

/** The SQL of one generic test on `relation.column`; `resolveRef` turns `ref('x')` into a relation. */
export function genericTestSql(
  spec: DataTestSpec,
  relation: string,
  column: string,
  resolveRef: (expr: string) => string,
): { kind: string; sql: string } {
  if (spec === 'unique' || (typeof spec === 'object' && 'unique' in spec)) {
    return {
      kind: 'unique',
      sql: `select count(*) as failures from (select ${column} from ${relation} where ${column} is not null group by ${column} having count(*) > 1) dup`,
    };
  }
  if (spec === 'not_null' || (typeof spec === 'object' && 'not_null' in spec)) {
    return { kind: 'not_null', sql: `select count(*) as failures from ${relation} where ${column} is null` };
  }
  if ('accepted_values' in spec) {
    const values = spec.accepted_values.values.map(literal).join(', ');
    return {
      kind: 'accepted_values',
      sql: `select count(*) as failures from ${relation} where ${column} is not null and cast(${column} as varchar) not in (${values})`,
    };
  }
  const parent = resolveRef(spec.relationships.to);
  const field = spec.relationships.field;
  return {
    kind: 'relationships',
    sql: `select count(*) as failures from ${relation} child left join ${parent} parent on child.${column} = parent.${field} where child.${column} is not null and parent.${field} is null`,
  };
}
