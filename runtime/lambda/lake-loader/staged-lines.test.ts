import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readStagedFile } from './staged-lines';

const FIXTURE = readFileSync(join(__dirname, '../../../test/fixtures/crm-import/basic.events.jsonl'));

describe('readStagedFile', () => {
  it('reads the Glue job output, plain or GZIP, to the same events', () => {
    // Prepare
    const lines = FIXTURE.toString('utf8').trim().split('\n').length;
    // Act
    const plain = readStagedFile(FIXTURE);
    const gzipped = readStagedFile(gzipSync(FIXTURE));
    // Assess
    expect(plain.events).toHaveLength(lines);
    expect(plain.invalidLines).toEqual([]);
    expect(gzipped).toEqual(plain);
  });

  it('reports bad lines by number and reason without their text', () => {
    // Prepare
    const first = FIXTURE.toString('utf8').split('\n')[0] as string;
    const text = `${first}\n{"eventId":"x","email":"ann@example.com"}\nnot json\n\n`;
    // Act
    const staged = readStagedFile(Buffer.from(text));
    // Assess
    expect(staged.events).toHaveLength(1);
    expect(staged.invalidLines.map((l) => l.line)).toEqual([2, 3]);
    expect(JSON.stringify(staged.invalidLines)).not.toContain('ann@example.com');
  });
});
