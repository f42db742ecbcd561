import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCsv } from '../../services/importer/import-csv';
import { createStagedFileSink } from '../../services/importer/staged-file-sink';
import { generateLargeCsv } from '../fixtures/crm-import/large-csv';
import {
  defaultMapping,
  importToText,
  loadLargeExpectation,
  loadVectors,
} from '../fixtures/crm-import/vectors';

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const { importedAt, vectors } = loadVectors();

describe('shared CRM import vectors (the Glue job must give the same bytes)', () => {
  it.each(vectors.map((v) => [v.name, v] as const))(
    '%s: events and rejects match the expected lines',
    async (_, v) => {
      // Act
      const out = await importToText(v.mapping, importedAt, createReadStream(v.csvPath));
      // Assess
      expect(out.events).toBe(readFileSync(v.eventsPath, 'utf8'));
      expect(out.rejects).toBe(readFileSync(v.rejectsPath, 'utf8'));
      expect(out.summary.rows).toBe(out.summary.accepted + out.summary.rejected);
    },
  );

  it('the staged file sink writes exactly the expected files', async () => {
    // Prepare
    const v = vectors.find((x) => x.name === 'basic')!;
    const dir = mkdtempSync(join(tmpdir(), 'crm-import-'));
    const sink = createStagedFileSink({ eventsPath: join(dir, 'e.jsonl'), errorsPath: join(dir, 'r.jsonl') });
    // Act
    const result = await importCsv({ mapping: v.mapping, importedAt }, createReadStream(v.csvPath), sink);
    await sink.close();
    // Assess
    expect(result.ok).toBe(true);
    expect(readFileSync(join(dir, 'e.jsonl'), 'utf8')).toBe(readFileSync(v.eventsPath, 'utf8'));
    expect(readFileSync(join(dir, 'r.jsonl'), 'utf8')).toBe(readFileSync(v.rejectsPath, 'utf8'));
  });

  it('keeps duplicate rows as events with one deterministic event id (dedupe drops the second)', async () => {
    const v = vectors.find((x) => x.name === 'basic')!;
    const out = await importToText(v.mapping, importedAt, createReadStream(v.csvPath));
    const alice = out.events
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.identity.externalIds[0].value === 'C-1001');
    expect(alice.map((e) => e.context.import.row)).toEqual([1, 12]);
    expect(alice[0].eventId).toBe(alice[1].eventId);
  });

  it('the 100,000-row file gives the expected output hashes', async () => {
    // Prepare
    const expected = loadLargeExpectation();
    const csv = generateLargeCsv(expected.rows);
    expect(sha256(csv)).toBe(expected.csvSha256);
    // Act
    const out = await importToText(defaultMapping(), expected.importedAt, csv);
    // Assess
    expect({ accepted: out.summary.accepted, rejected: out.summary.rejected }).toEqual({
      accepted: expected.accepted,
      rejected: expected.rejected,
    });
    expect(sha256(out.events)).toBe(expected.eventsSha256);
    expect(sha256(out.rejects)).toBe(expected.rejectsSha256);
  }, 60_000);
});
