import { type RenderContext, renderTemplate, TemplateError } from './jinja-subset';

const context = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  ref: (m) => `analytics.${m}`,
  source: (s, t) => `${s}.${t}`,
  var: (name, fallback) => (name === 'gap' ? 30 : (fallback ?? null)),
  isIncremental: false,
  targetType: 'postgres',
  self: 'analytics.me',
  ...overrides,
});

describe('Jinja subset', () => {
  test('renders ref, source, var and this, and collects config', () => {
    // Prepare
    const template =
      "{{ config(materialized='incremental', unique_key=['a', 'b'], dist=\"profile_id\") }}\nselect * from {{ ref('stg_events') }} join {{ source('lake', 'events') }} on {{ var('gap') }} < {{ var('x', 7) }} -- {{ this }}";

    // Act
    const rendered = renderTemplate(template, context());

    // Assess
    expect(rendered.config).toEqual({
      materialized: 'incremental',
      unique_key: ['a', 'b'],
      dist: 'profile_id',
    });
    expect(rendered.sql).toBe(
      '\nselect * from analytics.stg_events join lake.events on 30 < 7 -- analytics.me',
    );
  });

  test('if/else on is_incremental() and target.type keeps every line where it was', () => {
    // Prepare
    const template =
      'select 1\n{% if is_incremental() %}\nwhere new\n{% else %}\nwhere all\n{% endif %}\n{# a\ncomment #}{% if target.type == "redshift" %}rs{% endif %}end';

    // Act
    const full = renderTemplate(template, context()).sql;
    const incremental = renderTemplate(
      template,
      context({ isIncremental: true, targetType: 'redshift' }),
    ).sql;

    // Assess
    expect(full).toBe('select 1\n\n\n\nwhere all\n\n\nend');
    expect(incremental).toBe('select 1\n\nwhere new\n\n\n\n\nrsend');
    expect(full.split('\n')).toHaveLength(template.split('\n').length);
  });

  test('unsupported or broken templates fail with the line of the tag', () => {
    expect(() => renderTemplate('select\n\n{{ run_query("x") }}', context())).toThrow(TemplateError);
    try {
      renderTemplate('select\n\n{{ run_query("x") }}', context());
    } catch (error: unknown) {
      expect((error as TemplateError).line).toBe(3);
      expect((error as Error).message).toMatch(/run_query/);
    }
    expect(() => renderTemplate('select 1\n{% if is_incremental() %}\nx', context())).toThrow(/never closed/);
    expect(() => renderTemplate('{% for x in y %}{% endfor %}', context())).toThrow(/unsupported statement/);
  });
});
