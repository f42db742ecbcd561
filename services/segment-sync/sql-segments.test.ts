import { join } from 'node:path';
import { loadProject } from '../warehouse/project';
import { sqlSegmentsOfProject } from './sql-segments';

describe('sqlSegmentsOfProject', () => {
  test("finds every SQL segment of segment_memberships with its model's yml description", async () => {
    // Prepare
    const project = await loadProject(join(__dirname, '..', '..', 'sql'));

    // Act
    const segments = sqlSegmentsOfProject(project);

    // Assess
    expect(segments).toEqual([
      {
        segmentId: 'sql-high-value-customers',
        description: 'Seed segment: lifetime value > 500 and more than 3 purchases.',
      },
      {
        segmentId: 'sql-at-risk-churners',
        description: 'Seed segment: purchased before, more than 30 days since the last visit.',
      },
      {
        segmentId: 'sql-engaged-non-buyers',
        description: 'Seed segment: more than 20 page views, no purchase, visited within 7 days.',
      },
      { segmentId: 'rfm-champions', description: 'RFM champions (every score 4 or 5).' },
      { segmentId: 'rfm-hibernating', description: 'RFM hibernating (recency and frequency scores 1 or 2).' },
    ]);
  });

  test('a branch whose model has no description gives the segment none; no memberships model, no segments', async () => {
    // Prepare
    const project = await loadProject(join(__dirname, '..', '..', 'sql'));
    const undocumented = {
      ...project,
      models: project.models.map((m) => (m.name === 'seg_rfm_champions' ? { ...m, doc: undefined } : m)),
    };

    // Act
    const segments = sqlSegmentsOfProject(undocumented);
    const none = sqlSegmentsOfProject({ ...project, models: [] });

    // Assess
    expect(segments).toContainEqual({ segmentId: 'rfm-champions' });
    expect(segments).toHaveLength(5);
    expect(none).toEqual([]);
  });
});
