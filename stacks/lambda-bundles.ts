import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  const missing = FUNCTION_NAMES.filter((name) => !existsSync(join(rootDir, entryOf(name))));
  if (missing.length > 0) {
    throw new LambdaBundleError(
      `cannot bundle Lambda functions: missing entry file(s) ${missing
        .map((name) => `${entryOf(name)} (${name})`)
        .join(', ')}. Each must export \`handler\`; see contracts/aws-resources.ts FUNCTIONS.`,
    );
  }
  const bundles = {} as Record<FunctionName, LambdaBundle>;
  for (const name of FUNCTION_NAMES) {
    const directory = join(resolve(options.outDir), name);
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
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    bundles[name] = { directory, file, sha256 };
  }
  return bundles;
}
