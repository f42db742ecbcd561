#!/usr/bin/env node
// The whole test suite, in the order that fails fastest: lint, types, jest (unit, then integration),
// then the Python (PySpark) tests. Every step runs; the exit code is non-zero if any failed.
// With CI=true, steps that need an optional toolchain must run or fail (see scripts/test-python.sh).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const results = [];
let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, cmd, args, opts = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: process.env, ...opts });
  const ok = res.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

step('lint', 'npx', ['biome', 'check', '.']);
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);

const jestOut = join(mkdtempSync(join(tmpdir(), 'tributary-jest-')), 'results.json');
step('jest', 'npx', ['jest', '--ci', '--json', `--outputFile=${jestOut}`]);
if (existsSync(jestOut)) {
  const r = JSON.parse(readFileSync(jestOut, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped += r.numPendingTests + r.numTodoTests;
}

const pyOut = join(mkdtempSync(join(tmpdir(), 'tributary-py-')), 'counts.json');
step('python', 'bash', ['scripts/test-python.sh'], { env: { ...process.env, TRIBUTARY_PY_COUNTS: pyOut } });
if (existsSync(pyOut)) {
  const r = JSON.parse(readFileSync(pyOut, 'utf8'));
  passed += r.passed ?? 0;
  failed += r.failed ?? 0;
  skipped += r.skipped ?? 0;
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds}s)`);
const stepFailures = results.filter((r) => !r.ok).length;
if (stepFailures > 0 && failed === 0) failed = stepFailures;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(stepFailures > 0 ? 1 : 0);
