import { Readable } from 'node:stream';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { CanonicalEvent as CanonicalEventSchema } from '../../contracts/canonical-event';
import { defaultMapping } from '../../test/fixtures/crm-import/vectors';
import { importCsv } from './import-csv';
import type { RejectedRow } from './row-mapper';

const HEADER = 'ContactID,Email,FullName,Company,LifetimeValue,LastContactDate\n';
const NOW = '2024-05-01T12:00:00.000Z';

async function run(csv: string) {
  const events: CanonicalEvent[] = [];
  const rejects: RejectedRow[] = [];
  const result = await importCsv({ mapping: defaultMapping(), importedAt: NOW }, Readable.from([csv]), {
    event: (e) => {
      events.push(e);
    },
    rejected: (r) => {
      rejects.push(r);
    },
  });
  return { result, events, rejects };
}

describe('importCsv', () => {
  it('turns a row into a canonical identify event with crm_id as an external id', async () => {
    const { events } = await run(`${HEADER}C-1,Ann@Example.com ,Ann Lee,"Lee, Inc.",12.30,2024-03-15\n`);
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(CanonicalEventSchema.safeParse(e).success).toBe(true);
    expect(e).toMatchObject({
      type: 'identify',
      eventName: 'identify',
      source: 'crm',
      timestamp: '2024-03-15T00:00:00.000Z',
      receivedAt: NOW,
      identity: { email: 'ann@example.com', externalIds: [{ type: 'crm_id', value: 'C-1' }] },
      traits: {
        email: 'ann@example.com',
        name: 'Ann Lee',
        company: 'Lee, Inc.',
        crm_lifetime_value: 12.3,
        last_contact_date: '2024-03-15',
      },
    });
    expect(e.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses the import time when the row has no last contact date and leaves empty traits out', async () => {
    const { events } = await run(`${HEADER}C-1,,,,,\n`);
    expect(events[0]!.timestamp).toBe(NOW);
    expect(events[0]!.traits).toEqual({});
    expect(events[0]!.identity).toEqual({ externalIds: [{ type: 'crm_id', value: 'C-1' }] });
  });

  it('lists every reason of a bad row with its column', async () => {
    const { rejects } = await run(`${HEADER},nope,X,Y,12abc,2024-02-30\n`);
    expect(rejects).toEqual([
      {
        row: 1,
        fields: ['', 'nope', 'X', 'Y', '12abc', '2024-02-30'],
        reasons: [
          { column: 'ContactID', reason: 'required value is empty' },
          { column: 'Email', reason: 'not an email address' },
          { column: 'LifetimeValue', reason: 'not a plain decimal number' },
          { column: 'LastContactDate', reason: 'not a calendar date' },
        ],
      },
    ]);
  });

  it('reports an unclosed quote as a rejected row, not silence', async () => {
    const { result, events, rejects } = await run(`${HEADER}C-1,a@b.c,A,B,1,2024-01-01\nC-2,"open\n`);
    expect(events).toHaveLength(1);
    expect(rejects).toEqual([
      {
        row: 2,
        fields: [],
        reasons: [{ column: null, reason: expect.stringMatching(/^unparseable CSV: Quote Not Closed/) }],
      },
    ]);
    expect(result.ok && result.value.rejected).toBe(1);
  });

  it('refuses a header without the mapped columns, and an empty file', async () => {
    const header = await run('ContactID,Mail\nC-1,a@b.c\n');
    expect(header.result.ok).toBe(false);
    expect(!header.result.ok && header.result.error.message).toMatch(/FullName/);
    const empty = await run('');
    expect(!empty.result.ok && empty.result.error.name).toBe('ImportEmptyFileError');
  });

  it('summarizes rejects by column and reason', async () => {
    const { result } = await run(
      `${HEADER}C-1,x,A,B,1,2024-01-01\nC-2,y,A,B,1,2024-01-01\nC-3,a@b.c,A,B,1,2024-01-01\n`,
    );
    expect(result.ok && result.value).toEqual({
      rows: 3,
      accepted: 1,
      rejected: 2,
      reasons: [{ column: 'Email', reason: 'not an email address', count: 2 }],
    });
  });
});
