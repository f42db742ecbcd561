#!/usr/bin/env node
// `npm run bench [filter]`: runs every bench/**/*.bench.ts (one process each, so they don't disturb
// each other), shows what each prints, and rewrites that benchmark's section of bench/RESULTS.md with
// the figures it reported and the machine it ran on. Benchmarks report through bench/lib/report.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const benchDir = join(root, 'bench');
const filter = process.argv[2];

function findBenches(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findBenches(p));
    else if (name.endsWith('.bench.ts')) out.push(p);
  }
  return out;
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
const resultsPath = join(benchDir, 'RESULTS.md');
// Read right before each update, not once at the start: a long run must not undo what was written to the
// file meanwhile (another benchmark's run, a merge).
const readResults = () =>
  existsSync(resultsPath)
    ? readFileSync(resultsPath, 'utf8')
    : '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n';

let failures = 0;
for (const file of findBenches(benchDir)) {
  const rel = relative(root, file);
  if (filter && !rel.includes(filter)) continue;
  console.log(`\n=== ${rel}`);
  const res = spawnSync('npx', ['tsx', file], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  process.stdout.write(res.stdout ?? '');
  const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (res.status !== 0 || !line) {
    console.error(`bench ${rel} failed (exit ${res.status})`);
    failures++;
    continue;
  }
  const result = JSON.parse(line.slice('BENCH_RESULT '.length));
  const section = renderSection(rel, result);
  const start = `<!-- bench:${rel} -->`;
  const end = `<!-- /bench:${rel} -->`;
  const block = `${start}\n${section}\n${end}`;
  const md = readResults();
  const i = md.indexOf(start);
  const j = md.indexOf(end);
  writeFileSync(
    resultsPath,
    i >= 0 && j > i ? md.slice(0, i) + block + md.slice(j + end.length) : `${md.trimEnd()}\n\n${block}\n`,
  );
  console.log(`updated ${relative(root, resultsPath)} (${rel})`);
}
process.exit(failures > 0 ? 1 : 0);

function fmt(n) {
  if (typeof n !== 'number') return n ?? '';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(3)).toString();
}

function renderSection(rel, r) {
  const lines = [
    `## ${r.title} (\`${rel}\`)`,
    '',
    `Ran ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}.`,
  ];
  if (r.notes) lines.push('', r.notes);
  lines.push(
    '',
    '| metric | value | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|',
  );
  for (const row of r.rows) {
    const base =
      row.baseline === undefined
        ? ''
        : `${fmt(row.baseline)} ${row.unit} (${row.baselineName ?? 'baseline'})`;
    const ratio = row.ratio === undefined ? '' : `${fmt(row.ratio)}×`;
    const met = row.met === undefined ? '' : row.met ? 'yes' : '**no**';
    lines.push(
      `| ${row.metric} | ${fmt(row.value)} ${row.unit} | ${base} | ${ratio} | ${row.target ?? ''} | ${met} |`,
    );
  }
  return lines.join('\n');
}
