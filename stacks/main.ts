import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parseStacksConfig, type StacksConfig } from './config';
import { DEFAULT_ENVIRONMENTS } from './environments';
import { stageGlueAssets } from './glue-assets';
import { type BundleOptions, bundleLambdas } from './lambda-bundles';
import { TributaryStack } from './tributary-stack';

/** Build folder for bundles and staged Glue modules (git-ignored). */
const BUILD_DIR = '.build';

/**
 * The environments to synthesize: `TRIBUTARY_STACKS_CONFIG` names a JSON file `{"environments": [...]}`
 * (see stacks/config.ts); without it, stacks/environments.ts.
 */
function loadConfig(rootDir: string, configFile: string | undefined): StacksConfig {
  if (configFile === undefined || configFile === '')
    return parseStacksConfig({ environments: DEFAULT_ENVIRONMENTS });
  const text = readFileSync(resolve(rootDir, configFile), 'utf8');
  return parseStacksConfig(JSON.parse(text));
}

/** What to synthesize from where. */
export interface SynthesizeOptions {
  readonly rootDir: string;
  readonly outdir: string;
  readonly configFile?: string | undefined;
  /** Lambda entries other than the catalogue's (tests bundle a fixture). */
  readonly entries?: BundleOptions['entries'];
  /** Root holding `glue-jobs/` (defaults to `rootDir`). */
  readonly glueRootDir?: string;
  /** Build folder for bundles and staged Glue modules (defaults to `<rootDir>/.build`). */
  readonly buildDir?: string;
}

/** Bundles the Lambda functions, stages the Glue job and synthesizes one stack per environment. */
export function synthesize(options: SynthesizeOptions): readonly string[] {
  const { rootDir } = options;
  const config = loadConfig(rootDir, options.configFile);
  const buildDir = options.buildDir ?? join(rootDir, BUILD_DIR);
  const bundles = bundleLambdas({
    rootDir,
    outDir: join(buildDir, 'lambda'),
    ...(options.entries ? { entries: options.entries } : {}),
  });
  const glueAssets = stageGlueAssets(options.glueRootDir ?? rootDir, join(buildDir, 'glue-python'));
  const app = new App({ outdir: options.outdir });
  const ids = config.environments.map((env) => {
    const id = `${env.prefix}-${env.name}`;
    new TributaryStack(app, id, { config: env, bundles, glueAssets });
    return id;
  });
  app.synth();
  return ids;
}

if (require.main === module) {
  const rootDir = resolve(__dirname, '..');
  try {
    // cdktf-cli passes the output folder in CDKTF_OUTDIR; running the app directly writes cdktf.out.
    synthesize({
      rootDir,
      outdir: process.env.CDKTF_OUTDIR ?? join(rootDir, 'cdktf.out'),
      configFile: process.env.TRIBUTARY_STACKS_CONFIG,
    });
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  }
}
