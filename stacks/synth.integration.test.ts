import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_NAMES, FUNCTIONS } from '../contracts/aws-resources';
import { GLUE_JOB_FILES } from './glue-assets';
import { ROOT_DIR } from './test-support';

const CDKTF = join(ROOT_DIR, 'node_modules/cdktf-cli/bundle/bin/cdktf');

/** `cdktf synth` as a user runs it: offline, no terraform binary on PATH, telemetry off. */
function cdktfSynth(cwd: string, output: string) {
  const res = spawnSync(process.execPath, [CDKTF, 'synth', '--output', output], {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
      CI: '1',
      PATH: `${join(ROOT_DIR, 'node_modules/.bin')}:/usr/bin:/bin`,
    },
  });
  return { status: res.status, output: `${res.stdout}\n${res.stderr}` };
}

function expectStacks(output: string) {
  for (const env of ['dev', 'prod']) {
    const file = join(output, 'stacks', `tributary-${env}`, 'cdk.tf.json');
    expect(existsSync(file)).toBe(true);
    const tf = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(tf.resource.aws_lambda_function)).toHaveLength(FUNCTION_NAMES.length);
    const zip = Object.values(tf.resource.aws_lambda_function as Record<string, { filename: string }>)[0]!
      .filename;
    expect(existsSync(join(output, 'stacks', `tributary-${env}`, zip))).toBe(true);
  }
}

describe('cdktf synth (offline, no terraform binary)', () => {
  it('synthesizes dev and prod through the CLI with the real Lambda handlers and fixture Glue files', () => {
    const project = mkdtempSync(join(tmpdir(), 'tributary-cdktf-'));
    writeFileSync(
      join(project, 'cdktf.json'),
      JSON.stringify({
        language: 'typescript',
        app: `${join(ROOT_DIR, 'node_modules/.bin/tsx')} ${join(ROOT_DIR, 'test/fixtures/stacks/synth-app.ts')}`,
        terraformProviders: [],
        terraformModules: [],
      }),
    );
    const output = join(project, 'cdktf.out');
    const res = cdktfSynth(project, output);
    expect(res.status).toBe(0);
    // cdktf notes that no terraform binary is present (informational) and synthesizes anyway.
    expect(res.output).toContain('Generated Terraform code for the stacks: tributary-dev, tributary-prod');
    expectStacks(output);
  });

  it('synthesizes the repository as is, or names the handler and Glue files it still lacks', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'tributary-cdktf-repo-')), 'out');
    const res = cdktfSynth(ROOT_DIR, output);
    const missingEntries = FUNCTION_NAMES.filter((n) => !existsSync(join(ROOT_DIR, FUNCTIONS[n].entry)));
    const missingGlue = Object.values(GLUE_JOB_FILES).filter((p) => !existsSync(join(ROOT_DIR, p)));
    if (missingEntries.length === 0 && missingGlue.length === 0) {
      expect(res.status).toBe(0);
      expectStacks(output);
    } else if (missingEntries.length > 0) {
      expect(res.status).not.toBe(0);
      for (const n of missingEntries) expect(res.output).toContain(`${FUNCTIONS[n].entry} (${n})`);
    } else {
      expect(res.status).not.toBe(0);
      for (const p of missingGlue) expect(res.output).toContain(p);
    }
  });
});
