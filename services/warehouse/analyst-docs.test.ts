import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAnalystDocs } from './analyst-docs';
import { loadProject } from './project';

const ROOT = join(__dirname, '..', '..');

describe('analyst docs', () => {
  test('docs/warehouse.md is the rendering of the current models (run `cdp sql docs --out docs/warehouse.md`)', async () => {
    // Prepare
    const project = await loadProject(join(ROOT, 'sql'));

    // Act
    const rendered = renderAnalystDocs(project);

    // Assess
    expect(await readFile(join(ROOT, 'docs', 'warehouse.md'), 'utf8')).toBe(rendered);
  });

  test('every model and every column has a description', async () => {
    const project = await loadProject(join(ROOT, 'sql'));
    const missing = project.models.flatMap((m) =>
      !m.doc?.description
        ? [m.name]
        : m.doc.columns.filter((c) => !c.description).map((c) => `${m.name}.${c.name}`),
    );
    expect(missing).toEqual([]);
  });
});
