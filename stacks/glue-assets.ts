import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GlueJobAssets } from './batch-import';

/** Raised when the Glue job's files are missing; names each one. */
export class GlueAssetsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GlueAssetsError';
  }
}

/** Where the CRM import job's files live in the repository. */
export const GLUE_JOB_FILES = {
  script: 'glue-jobs/crm_import.py',
  package: 'glue-jobs/tributary_glue',
  mapping: 'glue-jobs/mappings/crm-default.json',
  requirements: 'glue-jobs/requirements.txt',
} as const;

/**
 * Finds the Glue job's files under `rootDir` and stages its Python package as `<outDir>/tributary_glue/`
 * (no `__pycache__`), so the zip Terraform builds has the package at its root as `--extra-py-files` needs.
 */
export function stageGlueAssets(rootDir: string, outDir: string): GlueJobAssets {
  const root = resolve(rootDir);
  const missing = Object.values(GLUE_JOB_FILES).filter((p) => !existsSync(join(root, p)));
  if (missing.length > 0) {
    throw new GlueAssetsError(`cannot stage the Glue CRM import job: missing ${missing.join(', ')}`);
  }
  const pythonModulesDir = resolve(outDir);
  rmSync(pythonModulesDir, { recursive: true, force: true });
  mkdirSync(pythonModulesDir, { recursive: true });
  cpSync(join(root, GLUE_JOB_FILES.package), join(pythonModulesDir, 'tributary_glue'), {
    recursive: true,
    filter: (src) => !src.includes('__pycache__') && !src.endsWith('.pyc'),
  });
  const additionalPythonModules = readFileSync(join(root, GLUE_JOB_FILES.requirements), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
  return {
    script: join(root, GLUE_JOB_FILES.script),
    pythonModulesDir,
    mapping: join(root, GLUE_JOB_FILES.mapping),
    additionalPythonModules,
  };
}
