import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_SEGMENT_DEFINITIONS,
  loadSegmentDefinitionsFile,
  parseSegmentDefinitions,
} from './definitions';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segments-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('segment definition files', () => {
  it('ship the three segments of the design notes with their exact rules', () => {
    const byId = new Map(DEFAULT_SEGMENT_DEFINITIONS.map((d) => [d.id, d.rule]));

    expect(byId.get('high-value-customers')).toEqual({
      and: [
        { field: 'lifetimeValue', operator: 'gt', value: 500 },
        { field: 'totalPurchases', operator: 'gt', value: 3 },
      ],
    });
    expect(byId.get('at-risk-churners')).toEqual({
      and: [
        { field: 'daysSinceLastVisit', operator: 'gt', value: 30 },
        { field: 'totalPurchases', operator: 'gt', value: 0 },
      ],
    });
    expect(byId.get('engaged-non-buyers')).toEqual({
      and: [
        { field: 'totalPageViews', operator: 'gt', value: 20 },
        { field: 'totalPurchases', operator: 'eq', value: 0 },
        { field: 'daysSinceLastVisit', operator: 'lt', value: 7 },
      ],
    });
  });

  it('loads JSON and YAML files', async () => {
    // Prepare
    const json = join(dir, 'segments.json');
    const yaml = join(dir, 'segments.yaml');
    await writeFile(
      json,
      JSON.stringify({ segments: [{ id: 'a', name: 'A', rule: { event: 'purchase' } }] }),
    );
    await writeFile(
      yaml,
      'segments:\n  - id: b\n    name: B\n    rule: { field: traits.plan, operator: eq, value: pro }\n',
    );

    // Act
    const fromJson = await loadSegmentDefinitionsFile(json);
    const fromYaml = await loadSegmentDefinitionsFile(yaml);

    // Assess
    expect(fromJson).toEqual({
      ok: true,
      value: { segments: [{ id: 'a', name: 'A', rule: { event: 'purchase', atLeast: 1 } }] },
    });
    expect(fromYaml.ok && fromYaml.value.segments[0]?.rule).toEqual({
      field: 'traits.plan',
      operator: 'eq',
      value: 'pro',
    });
  });

  it('returns a result instead of throwing for missing, unparsable and invalid files', async () => {
    const broken = join(dir, 'broken.json');
    const invalid = join(dir, 'invalid.json');
    await writeFile(broken, '{ "segments": [');
    await writeFile(
      invalid,
      JSON.stringify({ segments: [{ id: 'a', name: 'A', rule: { field: 'x', operator: 'eq', value: 1 } }] }),
    );

    const missing = await loadSegmentDefinitionsFile(join(dir, 'nope.json'));
    const unparsable = await loadSegmentDefinitionsFile(broken);
    const wrong = await loadSegmentDefinitionsFile(invalid);

    expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining('ENOENT') });
    expect(unparsable).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
    expect(wrong).toMatchObject({
      ok: false,
      reason: expect.stringContaining('segments[0].rule.field: unknown field "x"'),
      issues: [{ path: 'segments[0].rule.field', message: expect.any(String) }],
    });
  });

  it('refuses a document that is not a definitions file', () => {
    expect(parseSegmentDefinitions([1, 2])).toMatchObject({ ok: false, issues: [{ path: '' }] });
  });
});
