import type { Project } from '../warehouse/project';

/** A SQL segment as the sync registers it in the serving store. */
export interface SqlSegmentDefinition {
  readonly segmentId: string;
  readonly description?: string;
}

/** `select 'segment-id' [as segment_id], profile_id from {{ ref('model') }}` in `segment_memberships`. */
const MEMBER_SELECT =
  /select\s+'([^']+)'(?:\s+as\s+segment_id)?\s*,\s*profile_id\s+from\s+\{\{\s*ref\(\s*'([^']+)'\s*\)\s*\}\}/gi;

/**
 * The SQL segments of a project: each `select '<id>', profile_id from {{ ref('<model>') }}` branch of the
 * `memberships` model, described by `<model>`'s schema yml description (none when it has none).
 */
export function sqlSegmentsOfProject(
  project: Project,
  memberships = 'segment_memberships',
): SqlSegmentDefinition[] {
  const model = project.models.find((m) => m.name === memberships);
  if (model === undefined) return [];
  const docs = new Map(project.models.map((m) => [m.name, m.doc?.description ?? '']));
  const out = new Map<string, SqlSegmentDefinition>();
  for (const [, segmentId, ref] of model.template.matchAll(MEMBER_SELECT)) {
    const description = docs.get(ref!) ?? '';
    out.set(
      segmentId!,
      description === '' ? { segmentId: segmentId! } : { segmentId: segmentId!, description },
    );
  }
  return [...out.values()];
}
