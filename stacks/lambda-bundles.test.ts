import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_NAMES, type FunctionName } from '../contracts/aws-resources';
import { bundleLambdas, LambdaBundleError } from './lambda-bundles';
import { FIXTURE_HANDLER, fixtureBundles, ROOT_DIR } from './test-support';

describe('bundleLambdas', () => {
  it('names every missing entry file in one clear error', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tributary-bundles-'));
    const entries = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, FIXTURE_HANDLER])) as Record<
      FunctionName,
      string
    >;
    entries.collector = 'runtime/lambda/does-not-exist.ts';
    entries['idle-tick'] = 'runtime/lambda/neither.ts';
    expect(() => bundleLambdas({ rootDir: ROOT_DIR, outDir, entries })).toThrow(LambdaBundleError);
    expect(() => bundleLambdas({ rootDir: ROOT_DIR, outDir, entries })).toThrow(
      /missing entry file\(s\) runtime\/lambda\/does-not-exist\.ts \(collector\), runtime\/lambda\/neither\.ts \(idle-tick\)/,
    );
  });

  it('builds a self-contained CommonJS bundle per function with its SHA-256', async () => {
    const bundles = fixtureBundles();
    for (const name of FUNCTION_NAMES) {
      const code = readFileSync(bundles[name].file, 'utf8');
      expect(bundles[name].sha256).toMatch(/^[0-9a-f]{64}$/);
      // The contract module was bundled in, not required at run time.
      expect(code).toContain('stream-processor');
      expect(code).not.toMatch(/require\(["']\.\.?\//);
      const mod = { exports: {} as { handler?: () => Promise<unknown> } };
      new Function('module', 'exports', 'require', code)(mod, mod.exports, require);
      await expect(mod.exports.handler?.()).resolves.toEqual({
        fixture: true,
        functions: FUNCTION_NAMES.length,
      });
    }
  });

  it('gives the same bytes for the same source (deterministic hashes)', () => {
    const entries = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, FIXTURE_HANDLER])) as Record<
      FunctionName,
      string
    >;
    const again = bundleLambdas({
      rootDir: ROOT_DIR,
      outDir: mkdtempSync(join(tmpdir(), 'tributary-b2-')),
      entries,
    });
    expect(again.collector.sha256).toBe(fixtureBundles().collector.sha256);
  });
});
