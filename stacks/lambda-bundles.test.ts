import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName } from '../contracts/aws-resources';
import { bundleLambdas, LambdaBundleError } from './lambda-bundles';
import { lambdaBundles, ROOT_DIR } from './test-support';

jest.setTimeout(120_000);

/** Loads a bundle the way the Lambda runtime does (CommonJS `index.js`), with no environment set. */
function loadBundle(file: string): { handler?: (event: unknown, context: unknown) => Promise<unknown> } {
  const mod = { exports: {} as { handler?: (event: unknown, context: unknown) => Promise<unknown> } };
  new Function('module', 'exports', 'require', '__filename', '__dirname', readFileSync(file, 'utf8'))(
    mod,
    mod.exports,
    require,
    file,
    join(file, '..'),
  );
  return mod.exports;
}

describe('bundleLambdas', () => {
  it('names every missing entry file in one clear error', () => {
    // Prepare
    const outDir = mkdtempSync(join(tmpdir(), 'tributary-bundles-'));
    const entries = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, FUNCTIONS[n].entry])) as Record<
      FunctionName,
      string
    >;
    entries.collector = 'runtime/lambda/does-not-exist.ts';
    entries['idle-tick'] = 'runtime/lambda/neither.ts';
    // Act / Assess
    expect(() => bundleLambdas({ rootDir: ROOT_DIR, outDir, entries })).toThrow(LambdaBundleError);
    expect(() => bundleLambdas({ rootDir: ROOT_DIR, outDir, entries })).toThrow(
      /missing entry file\(s\) runtime\/lambda\/does-not-exist\.ts \(collector\), runtime\/lambda\/neither\.ts \(idle-tick\)/,
    );
  });

  it('builds each real handler into one self-contained CommonJS file exporting `handler`', () => {
    // Act
    const bundles = lambdaBundles();
    // Assess
    for (const name of FUNCTION_NAMES) {
      const code = readFileSync(bundles[name].file, 'utf8');
      expect(bundles[name].sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(code).not.toMatch(/require\(["']\.\.?\//);
      expect(typeof loadBundle(bundles[name].file).handler).toBe('function');
    }
  });

  it('ships the SQL project beside the segment refresh, which loads it from its own folder', () => {
    // Act
    const bundle = lambdaBundles()['segment-refresh'];
    // Assess
    expect(existsSync(join(bundle.directory, 'sql', 'dbt_project.yml'))).toBe(true);
    expect(existsSync(join(lambdaBundles().collector.directory, 'sql'))).toBe(false);
  });

  it('an unconfigured HTTP function answers 503, an unconfigured stream function fails naming its variables', async () => {
    // Prepare
    const bundles = lambdaBundles();
    const collector = loadBundle(bundles.collector.file);
    const stream = loadBundle(bundles['stream-processor'].file);
    const silence = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // Act
      const answer = (await collector.handler?.(
        { version: '2.0', rawPath: '/v1/track', requestContext: { http: { method: 'POST' } }, headers: {} },
        {},
      )) as { statusCode: number };
      const failure = stream.handler?.({ Records: [] }, {});
      // Assess
      expect(answer.statusCode).toBe(503);
      await expect(failure).rejects.toThrow(/TRIBUTARY_STATE_TABLE/);
    } finally {
      silence.mockRestore();
    }
  });

  it('gives the same bytes for the same source (deterministic hashes)', () => {
    // Act
    const again = bundleLambdas({ rootDir: ROOT_DIR, outDir: mkdtempSync(join(tmpdir(), 'tributary-b2-')) });
    // Assess
    for (const name of FUNCTION_NAMES) expect(again[name].sha256).toBe(lambdaBundles()[name].sha256);
  });
});
