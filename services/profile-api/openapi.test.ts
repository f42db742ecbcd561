import { refsOf } from '../../test/support/json-refs';
import { buildProfileApiDocument } from './openapi';

describe('buildProfileApiDocument', () => {
  const doc = buildProfileApiDocument({ maxPageSize: 1000, defaultPageSize: 50 });
  const paths = doc.paths as Record<string, { get: { responses: Record<string, unknown> } }>;

  it('documents every route with its success, 401 and (for parameters) 400 and 404 answers', () => {
    for (const [path, item] of Object.entries(paths)) {
      const codes = Object.keys(item.get.responses);
      expect({ path, has401: codes.includes('401') }).toEqual({ path, has401: true });
      if (path !== '/v1/segments') expect(codes).toEqual(expect.arrayContaining(['400', '404']));
    }
    expect(Object.keys(paths['/v1/profiles/lookup']!.get.responses)).toContain('302');
  });

  it('only refers to schemas it defines, generated from the zod contracts', () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref.startsWith('#/components/schemas/')).toBe(true);
      expect(doc.components.schemas).toHaveProperty([ref.slice('#/components/schemas/'.length)]);
    }
    expect(doc.components.schemas.ProfileView).toMatchObject({ type: 'object' });
  });
});
