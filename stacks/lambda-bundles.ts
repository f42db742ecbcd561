import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName } from '../contracts/aws-resources';

/** One built function: the folder Terraform zips, the bundle in it and the bundle's SHA-256 (hex). */
export interface LambdaBundle {
  readonly directory: string;
  readonly file: string;
  readonly sha256: string;
}

/** A bundle for every function of the catalogue; the stack takes this as an explicit input. */
export type LambdaBundles = Readonly<Record<FunctionName, LambdaBundle>>;

/** Lambda runtime the bundles target and the stacks deploy (Lambda deprecates nodejs20.x in 2026). */
export const LAMBDA_RUNTIME = 'nodejs22.x';

/**
 * Folders (relative to the repository root) copied beside a function's bundle, for code that reads
 * files at run time: the segment refresh loads the SQL project (`sql/`) from `__dirname`.
 */
export const FUNCTION_ASSETS: Readonly<Partial<Record<FunctionName, readonly string[]>>> = {
  'segment-refresh': ['sql'],
};

/** Every file under a folder, sorted, relative to it. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(join(dir, e.name), base) : [relative(base, join(dir, e.name))],
    )
    .sort();
}

/** Raised when entry files are missing or esbuild fails; names every missing file. */
export class LambdaBundleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LambdaBundleError';
  }
}

/** Where to find entries and where to write bundles. */
export interface BundleOptions {
  /** Repository root; entries are relative to it. */
  readonly rootDir: string;
  /** Bundles go to `<outDir>/<function>/index.js`. */
  readonly outDir: string;
  /** Entry per function; defaults to the catalogue's `runtime/lambda/<name>.ts`. */
  readonly entries?: Readonly<Record<FunctionName, string>>;
}

/**
 * Builds one CommonJS bundle per function with esbuild (Node 22, everything bundled, no source maps,
 * paths relative to `rootDir` so the output does not depend on where the repository is checked out).
 */
export function bundleLambdas(options: BundleOptions): LambdaBundles {
  const rootDir = resolve(options.rootDir);
  const entryOf = (name: FunctionName) => options.entries?.[name] ?? FUNCTIONS[name].entry;
  const missing = [
    ...FUNCTION_NAMES.filter((name) => !existsSync(join(rootDir, entryOf(name)))).map(
      (name) => `${entryOf(name)} (${name})`,
    ),
    ...FUNCTION_NAMES.flatMap((name) =>
      (FUNCTION_ASSETS[name] ?? [])
        .filter((a) => !existsSync(join(rootDir, a)))
        .map((a) => `${a}/ (${name})`),
    ),
  ];
  if (missing.length > 0) {
    throw new LambdaBundleError(
      `cannot bundle Lambda functions: missing entry file(s) ${missing.join(', ')}. Each must export \`handler\`; see contracts/aws-resources.ts FUNCTIONS.`,
    );
  }
  const bundles = {} as Record<FunctionName, LambdaBundle>;
  for (const name of FUNCTION_NAMES) {
    const directory = join(resolve(options.outDir), name);
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'index.js');
    try {
      buildSync({
        absWorkingDir: rootDir,
        entryPoints: [entryOf(name)],
        outfile: file,
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        sourcemap: false,
        legalComments: 'none',
        logLevel: 'silent',
      });
    } catch (error) {
      throw new LambdaBundleError(`esbuild failed for ${name} (${entryOf(name)})`, { cause: error });
    }
    const hash = createHash('sha256').update(readFileSync(file));
    for (const asset of FUNCTION_ASSETS[name] ?? []) {
      cpSync(join(rootDir, asset), join(directory, asset), { recursive: true });
      for (const f of filesUnder(join(directory, asset))) {
        hash.update(`\0${asset}/${f}\0`).update(readFileSync(join(directory, asset, f)));
      }
    }
    const sha256 = hash.digest('hex');
    bundles[name] = { directory, file, sha256 };
  }
  return bundles;
}
