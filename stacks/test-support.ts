import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import { type EnvironmentConfig, parseStacksConfig } from './config';
import { DEFAULT_ENVIRONMENTS } from './environments';
import { stageGlueAssets } from './glue-assets';
import { bundleLambdas, type LambdaBundles } from './lambda-bundles';
import { TributaryStack } from './tributary-stack';

/** Repository root. */
export const ROOT_DIR = resolve(__dirname, '..');

/** A stand-in repository root holding fixture Glue job files (the real ones come from the import branch). */
export const FIXTURE_GLUE_ROOT = join(ROOT_DIR, 'test/fixtures/stacks/glue-root');

let cachedBundles: LambdaBundles | undefined;

/** The real esbuild bundles of `runtime/lambda/<name>.ts`, built once per test process. */
export function lambdaBundles(): LambdaBundles {
  if (cachedBundles === undefined) {
    const outDir = mkdtempSync(join(tmpdir(), 'tributary-stacks-'));
    cachedBundles = bundleLambdas({ rootDir: ROOT_DIR, outDir });
  }
  return cachedBundles;
}

/** A default environment by name, optionally changed. */
export function environment(
  name: string,
  change: (raw: Record<string, unknown>) => void = () => {},
): EnvironmentConfig {
  const raw = structuredClone(DEFAULT_ENVIRONMENTS.find((e) => e.name === name)) as Record<string, unknown>;
  change(raw);
  return parseStacksConfig({ environments: [raw] }).environments[0]!;
}

/** Synthesizes one environment's stack (real Lambda bundles, fixture Glue files) to Terraform JSON. */
export function synthEnvironment(config: EnvironmentConfig): { json: string; tf: SynthesizedStack } {
  const app = Testing.app();
  const glueAssets = stageGlueAssets(FIXTURE_GLUE_ROOT, mkdtempSync(join(tmpdir(), 'tributary-glue-')));
  const stack = new TributaryStack(app, `tributary-${config.name}`, {
    config,
    bundles: lambdaBundles(),
    glueAssets,
  });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as SynthesizedStack };
}

/** The parts of a synthesized stack the tests read. */
export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: string }>;
}

/** Every resource of a type, by logical id. */
export function resourcesOf(tf: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return tf.resource[type] ?? {};
}
