import { readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { filesUnder } from './files-under';

/** A generic data test as written in schema yml: `unique`, `not_null`, `accepted_values`, `relationships`. */
export const DataTestSpec = z.union([
  z.enum(['unique', 'not_null']),
  z.object({ unique: z.object({}).passthrough() }),
  z.object({ not_null: z.object({}).passthrough() }),
  z.object({
    accepted_values: z.object({
      values: z.array(z.union([z.string(), z.number(), z.boolean()])),
      arguments: z.unknown().optional(),
    }),
  }),
  z.object({ relationships: z.object({ to: z.string(), field: z.string() }) }),
]);
export type DataTestSpec = z.infer<typeof DataTestSpec>;

/** One column of a model as documented in schema yml. */
export const ColumnDoc = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  data_tests: z.array(DataTestSpec).default([]),
  tests: z.array(DataTestSpec).default([]),
});
export type ColumnDoc = z.infer<typeof ColumnDoc>;

/** One model as documented in schema yml (`meta.examples`: example queries for the analyst docs). */
export const ModelDoc = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  columns: z.array(ColumnDoc).default([]),
  meta: z
    .object({ examples: z.array(z.string()).default([]) })
    .passthrough()
    .default({ examples: [] }),
});
export type ModelDoc = z.infer<typeof ModelDoc>;

/** A source (tables the models read but do not build): in Redshift the Spectrum schema, locally loaded. */
export const SourceDoc = z.object({
  name: z.string().min(1),
  schema: z.string().optional(),
  description: z.string().default(''),
  tables: z.array(z.object({ name: z.string().min(1), description: z.string().default('') })),
});
export type SourceDoc = z.infer<typeof SourceDoc>;

const SchemaFile = z.object({
  version: z.number().optional(),
  models: z.array(ModelDoc).default([]),
  sources: z.array(SourceDoc).default([]),
});

/** The parts of `dbt_project.yml` the runner reads. */
export const ProjectFile = z.object({
  name: z.string().min(1),
  'model-paths': z.array(z.string()).default(['models']),
  'test-paths': z.array(z.string()).default(['tests']),
  vars: z.record(z.string(), z.unknown()).default({}),
  models: z.record(z.string(), z.unknown()).default({}),
});
export type ProjectFile = z.infer<typeof ProjectFile>;

/** A model file with its folder-level defaults and documentation. */
export interface ModelFile {
  readonly name: string;
  /** Path relative to the project root, for messages. */
  readonly path: string;
  /** Folder under the model path (`staging`, `marts`, ...). */
  readonly folder: string;
  readonly template: string;
  /** `+materialized` etc. from `dbt_project.yml` for this folder (model `config()` overrides). */
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly doc: ModelDoc | undefined;
}

/** A singular data test: a query that returns the failing rows. */
export interface SingularTest {
  readonly name: string;
  readonly path: string;
  readonly template: string;
}

/** Everything the runner needs from a dbt-layout folder. */
export interface Project {
  readonly root: string;
  readonly file: ProjectFile;
  readonly models: readonly ModelFile[];
  readonly sources: readonly SourceDoc[];
  readonly singularTests: readonly SingularTest[];
}

/** Raised when the project folder is not readable as a dbt project (names the file and the reason). */
export class ProjectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProjectError';
  }
}

function folderDefaults(project: ProjectFile, folder: string): Record<string, unknown> {
  const root = project.models[project.name];
  const scopes: unknown[] = [root];
  if (root && typeof root === 'object') scopes.push((root as Record<string, unknown>)[folder]);
  const out: Record<string, unknown> = {};
  for (const scope of scopes) {
    if (!scope || typeof scope !== 'object') continue;
    for (const [k, v] of Object.entries(scope)) if (k.startsWith('+')) out[k.slice(1)] = v;
  }
  return out;
}

function parseYamlFile<T>(schema: z.ZodType<T>, text: string, path: string): T {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error: unknown) {
    throw new ProjectError(`${path}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProjectError(`${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Reads `dbt_project.yml`, every model `.sql`, the schema yml files beside them and singular tests. */
export async function loadProject(root: string): Promise<Project> {
  const projectPath = join(root, 'dbt_project.yml');
  let projectText: string;
  try {
    projectText = await readFile(projectPath, 'utf8');
  } catch (error: unknown) {
    throw new ProjectError(`${projectPath}: cannot read the project file`, { cause: error });
  }
  const file = parseYamlFile(ProjectFile, projectText, 'dbt_project.yml');
  const docs = new Map<string, ModelDoc>();
  const sources: SourceDoc[] = [];
  const models: ModelFile[] = [];
  for (const modelPath of file['model-paths']) {
    const base = join(root, modelPath);
    const files = await filesUnder(base);
    for (const f of files.filter((x) => /\.ya?ml$/.test(x))) {
      const schema = parseYamlFile(SchemaFile, await readFile(f, 'utf8'), relative(root, f));
      for (const m of schema.models) {
        if (docs.has(m.name))
          throw new ProjectError(`${relative(root, f)}: model ${m.name} documented twice`);
        docs.set(m.name, m);
      }
      sources.push(...schema.sources);
    }
    for (const f of files.filter((x) => x.endsWith('.sql'))) {
      const name = basename(f, '.sql');
      if (models.some((m) => m.name === name)) {
        throw new ProjectError(`${relative(root, f)}: a model named ${name} exists twice`);
      }
      const folder = relative(base, f).split('/')[0] ?? '';
      models.push({
        name,
        path: relative(root, f),
        folder: folder.endsWith('.sql') ? '' : folder,
        template: await readFile(f, 'utf8'),
        defaults: folderDefaults(file, folder),
        doc: docs.get(name),
      });
    }
  }
  for (const name of docs.keys()) {
    if (!models.some((m) => m.name === name))
      throw new ProjectError(`schema yml documents unknown model ${name}`);
  }
  const singularTests: SingularTest[] = [];
  for (const testPath of file['test-paths']) {
    for (const f of (await filesUnder(join(root, testPath))).filter((x) => x.endsWith('.sql'))) {
      singularTests.push({
        name: basename(f, '.sql'),
        path: relative(root, f),
        template: await readFile(f, 'utf8'),
      });
    }
  }
  return { root, file, models, sources, singularTests };
}
