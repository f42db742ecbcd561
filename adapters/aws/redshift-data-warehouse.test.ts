/**
 * Unit test of the Data API adapter's own logic (polling with backoff, timeout and cancel, paging, field
 * mapping, parameter binding) against a recorded-response stub of the SDK client's `send`: moto's
 * Redshift Data is a stub that cannot exercise any of this, and no other emulator exists.
 */
import { WarehouseQueryError } from '../../contracts/ports/warehouse';
import { bindParameters, createRedshiftDataWarehouse } from './redshift-data-warehouse';

type Reply = Record<string, unknown>;

function recordedClient(replies: Record<string, Reply[]>) {
  const calls: { command: string; input: Record<string, unknown> }[] = [];
  return {
    calls,
    client: {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name;
        calls.push({ command: name, input: command.input });
        const queue = replies[name];
        const reply = queue && queue.length > 1 ? queue.shift() : queue?.[0];
        if (!reply) throw new Error(`no recorded reply for ${name}`);
        return reply;
      },
    } as never,
  };
}

const target = { database: 'tributary', workgroupName: 'tributary-dev' };

describe('Redshift Data API warehouse', () => {
  test('polls with growing delays until finished, pages the result and maps typed fields', async () => {
    // Prepare
    const { client, calls } = recordedClient({
      ExecuteStatementCommand: [{ Id: 'q1' }],
      DescribeStatementCommand: [
        { Status: 'SUBMITTED' },
        { Status: 'STARTED' },
        { Status: 'STARTED' },
        { Status: 'FINISHED', HasResultSet: true },
      ],
      GetStatementResultCommand: [
        {
          ColumnMetadata: [
            { name: 'profile_id', typeName: 'varchar' },
            { name: 'ltv', typeName: 'numeric' },
            { name: 'n', typeName: 'int8' },
            { name: 'seen', typeName: 'timestamp' },
            { name: 'ok', typeName: 'bool' },
          ],
          Records: [
            [
              { stringValue: 'p1' },
              { stringValue: '800.50' },
              { longValue: 4 },
              { stringValue: '2024-06-13 12:00:00' },
              { booleanValue: true },
            ],
          ],
          NextToken: 'page-2',
        },
        {
          Records: [
            [
              { stringValue: 'p2' },
              { isNull: true },
              { longValue: 0 },
              { isNull: true },
              { booleanValue: false },
            ],
          ],
        },
      ],
    });
    const delays: number[] = [];
    const warehouse = createRedshiftDataWarehouse(
      { ...target, pollIntervalMs: 100, maxPollIntervalMs: 300 },
      { client, sleep: async (ms) => void delays.push(ms) },
    );

    // Act
    const result = await warehouse.query('select * from analytics.dim_profiles where plan = $1', ['pro']);

    // Assess
    expect(delays).toEqual([100, 200, 300]);
    expect(result.rows).toEqual([
      { profile_id: 'p1', ltv: 800.5, n: 4, seen: '2024-06-13T12:00:00.000Z', ok: true },
      { profile_id: 'p2', ltv: null, n: 0, seen: null, ok: false },
    ]);
    expect(calls[0]?.input).toMatchObject({
      WorkgroupName: 'tributary-dev',
      Database: 'tributary',
      Sql: 'select * from analytics.dim_profiles where plan = :p1',
      Parameters: [{ name: 'p1', value: 'pro' }],
    });
    expect(
      calls.filter((c) => c.command === 'GetStatementResultCommand').map((c) => c.input.NextToken),
    ).toEqual([undefined, 'page-2']);
  });

  test('a failed statement raises the database message', async () => {
    // Prepare
    const { client } = recordedClient({
      ExecuteStatementCommand: [{ Id: 'q2' }],
      DescribeStatementCommand: [
        { Status: 'FAILED', Error: 'ERROR: column "no_such_column" does not exist' },
      ],
    });
    const warehouse = createRedshiftDataWarehouse(target, { client, sleep: async () => undefined });

    // Act
    const error = await warehouse.query('select no_such_column').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(WarehouseQueryError);
    expect((error as Error).message).toContain('no_such_column');
  });

  test('a statement running past the timeout is cancelled and reported', async () => {
    // Prepare
    let clock = 0;
    const { client, calls } = recordedClient({
      ExecuteStatementCommand: [{ Id: 'q3' }],
      DescribeStatementCommand: [{ Status: 'STARTED' }],
      CancelStatementCommand: [{ Status: true }],
    });
    const warehouse = createRedshiftDataWarehouse(
      { ...target, timeoutMs: 1000, pollIntervalMs: 400 },
      {
        client,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );

    // Act
    const error = await warehouse.query('select 1').catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toMatch(/cancelled/);
    expect(calls.some((c) => c.command === 'CancelStatementCommand' && c.input.Id === 'q3')).toBe(true);
  });

  test('a batch runs as one BatchExecuteStatement with parameters inlined as literals', async () => {
    // Prepare
    const { client, calls } = recordedClient({
      BatchExecuteStatementCommand: [{ Id: 'b1' }],
      DescribeStatementCommand: [{ Status: 'FINISHED' }],
    });
    const warehouse = createRedshiftDataWarehouse(target, { client, sleep: async () => undefined });

    // Act
    await warehouse.batch([
      'begin',
      { sql: "update t set a = $1 where b = $2 and c = '$1'", params: ["O'Hara", null] },
    ]);

    // Assess
    expect(calls[0]?.input.Sqls).toEqual(['begin', "update t set a = 'O''Hara' where b = NULL and c = '$1'"]);
  });

  test('parameters inside string literals are left alone; a missing value is an error', () => {
    expect(bindParameters("select '$1', $1", ['x'], false)).toEqual({
      sql: "select '$1', :p1",
      parameters: [{ name: 'p1', value: 'x' }],
    });
    expect(() => bindParameters('select $2', ['x'], false)).toThrow(/\$2 has no value/);
  });
});
