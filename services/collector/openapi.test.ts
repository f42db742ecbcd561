import { createMemoryEventLog } from '../../adapters/local/memory-event-log';
import { refsOf } from '../../test/support/json-refs';
import { CollectorConfigError } from './collector-config';
import { createCollector } from './create-collector';
import { buildOpenApiDocument } from './openapi';

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument({ maxEventBytes: 32768, maxBatchBytes: 512000 });

  it('documents every ingest route with its answers', () => {
    for (const path of [
      '/v1/batch',
      '/v1/identify',
      '/v1/track',
      '/v1/page',
      '/v1/screen',
      '/v1/group',
      '/v1/alias',
      '/v1/events',
    ]) {
      const op = (doc.paths as Record<string, { post?: { responses: Record<string, unknown> } }>)[path]?.post;
      expect(Object.keys(op?.responses ?? {})).toEqual(['200', '400', '401', '413', '415', '503']);
    }
  });

  it('only refers to schemas it defines', () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref.startsWith('#/components/schemas/')).toBe(true);
      expect(doc.components.schemas).toHaveProperty([ref.slice('#/components/schemas/'.length)]);
    }
  });
});

describe('createCollector', () => {
  it('refuses an invalid configuration with a CollectorConfigError naming the field', () => {
    expect(() =>
      createCollector({ writeKeys: { k: 'Not A Source' } }, { eventLog: createMemoryEventLog() }),
    ).toThrow(CollectorConfigError);
    expect(() => createCollector({ writeKeys: {} }, { eventLog: createMemoryEventLog() })).toThrow(
      /writeKeys/,
    );
  });
});
