import { compileProject, withDescendants } from './model-graph';
import type { ModelFile, Project } from './project';

const model = (name: string, template: string): ModelFile => ({
  name,
  path: `models/${name}.sql`,
  folder: '',
  template,
  defaults: {},
  doc: undefined,
});

const project = (models: ModelFile[]): Project => ({
  root: '/p',
  file: { name: 'p', 'model-paths': ['models'], 'test-paths': ['tests'], vars: {}, models: {} },
  models,
  sources: [{ name: 'lake', description: '', tables: [{ name: 'events', description: '' }] }],
  singularTests: [],
});

describe('model graph', () => {
  test('orders models after the models they ref, and selects descendants', () => {
    // Act
    const r = compileProject(
      project([
        model('c', "select * from {{ ref('b') }}"),
        model('b', "{{ config(materialized='table') }} select * from {{ ref('a') }}"),
        model('a', "select * from {{ source('lake', 'events') }}"),
        model('d', 'select 1'),
      ]),
      {},
    );

    // Assess
    expect(r.ok && r.models.map((m) => m.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.ok && r.models[1]?.materialized).toBe('table');
    expect(r.ok && withDescendants(r.models, ['b']).map((m) => m.name)).toEqual(['b', 'c']);
  });

  test('cycles, unknown refs, undeclared sources and incremental models without a key are problems', () => {
    // Act
    const cycle = compileProject(project([model('a', "{{ ref('b') }}"), model('b', "{{ ref('a') }}")]), {});
    const unknown = compileProject(
      project([
        model('a', "select\n{{ ref('nope') }}"),
        model('b', "{{ source('lake', 'orders') }}"),
        model('c', "{{ config(materialized='incremental') }}"),
        model('e', "{{ var('missing') }}"),
      ]),
      {},
    );

    // Assess
    expect(!cycle.ok && cycle.problems[0]?.message).toBe('dependency cycle: a -> b -> a');
    expect(!unknown.ok && unknown.problems.map((p) => `${p.model}:${p.line} ${p.message}`)).toEqual([
      "a:2 ref('nope'): no model named nope",
      "b:1 source('lake', 'orders') is not declared in a schema yml",
      'c:1 an incremental model needs unique_key in config()',
      "e:1 var('missing') is not defined (dbt_project.yml vars or --vars)",
    ]);
  });
});
