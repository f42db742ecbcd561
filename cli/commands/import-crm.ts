import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parseImportMapping } from '../../contracts/import-mapping';
import defaultMapping from '../../glue-jobs/mappings/crm-default.json';
import { type ImportSink, importCsv } from '../../services/importer/import-csv';
import { formatSummary } from '../../services/importer/import-summary';
import { readMappingFile } from '../../services/importer/read-mapping-file';
import { normalizeImportedAt } from '../../services/importer/row-mapper';
import { createSegmentBatchSink } from '../../services/importer/segment-batch-sink';
import { createStagedFileSink } from '../../services/importer/staged-file-sink';
import { resolveCommandConnection } from '../command-options';

interface ImportCrmOptions {
  mapping?: string;
  out?: string;
  errors?: string;
  to?: string;
  writeKey?: string;
  importedAt?: string;
  batchSize?: string;
  progress: boolean;
}

/**
 * Adds `cdp import crm <file.csv>`: staged JSON lines (`--out`), or Segment batches to a collector
 * (`--to`/`--write-key`, else the running local `cdp dev` and its write key, as `cdp send` finds them).
 */
export function registerImportCrm(program: Command): void {
  const group =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('batch imports');
  group
    .command('crm')
    .description(
      'import a CRM export (CSV) through a mapping: staged JSON lines or identify calls to a collector',
    )
    .argument('<file>', 'the CSV file')
    .option('--mapping <file>', 'mapping JSON (default: glue-jobs/mappings/crm-default.json)')
    .option('--out <file>', 'write canonical events as JSON lines (staged format of the lake loader)')
    .option('--errors <file>', 'write rejected rows as JSON lines')
    .option(
      '--to <url>',
      'send identify calls to this collector (its /v1/batch); default without --out: the running cdp dev (CDP_URL, else CDP_DATA_DIR or ./.tributary)',
    )
    .option(
      '--write-key <key>',
      'the write key for --to (default without --to: CDP_WRITE_KEY, else the one cdp dev keeps)',
    )
    .option('--imported-at <iso>', 'import time (UTC ISO-8601); default now')
    .option('--batch-size <n>', 'calls per batch with --to', '100')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, options: ImportCrmOptions) => {
      process.exitCode = await runImportCrm(file, options);
    });
}

async function runImportCrm(file: string, options: ImportCrmOptions): Promise<number> {
  if (options.out !== undefined && options.to !== undefined) {
    console.error('give only one of --out <file> or --to <url>');
    return 2;
  }
  if (options.to !== undefined && !options.writeKey) {
    console.error('--to needs --write-key');
    return 2;
  }
  let target: { url: string; writeKey: string } | undefined;
  if (options.to !== undefined && options.writeKey) target = { url: options.to, writeKey: options.writeKey };
  else if (options.out === undefined) {
    // Neither: the running local `cdp dev` (its URL and a write key from its data folder), like `cdp send`.
    const found = resolveCommandConnection(options.writeKey ? { key: options.writeKey } : {}, 'write');
    if (!found.ok) {
      console.error(`${found.error}; or give --out <file>, or --to <url> --write-key <key>`);
      return 2;
    }
    target = { url: found.value.url, writeKey: found.value.key };
  }
  const mapping = options.mapping
    ? await readMappingFile(options.mapping)
    : parseImportMapping(defaultMapping);
  if (!mapping.ok) {
    console.error(mapping.error.message);
    return 2;
  }
  const importedAt = normalizeImportedAt(options.importedAt ?? new Date().toISOString());
  if (importedAt === undefined) {
    console.error('--imported-at must be UTC ISO-8601, e.g. 2024-05-01T12:00:00Z');
    return 2;
  }
  const batchSize = Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500) {
    console.error('--batch-size must be an integer from 1 to 500');
    return 2;
  }
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error: unknown) {
    console.error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }

  const staged = options.out
    ? createStagedFileSink({ eventsPath: options.out, errorsPath: options.errors })
    : undefined;
  const errorsOnly =
    !staged && options.errors ? createStagedFileSink({ errorsPath: options.errors }) : undefined;
  const segment = target
    ? createSegmentBatchSink({ endpoint: target.url, writeKey: target.writeKey, batchSize })
    : undefined;
  const sink: ImportSink = staged ?? {
    event: (e) => segment?.event(e),
    rejected: (r) => errorsOnly?.rejected(r),
  };

  const input = createReadStream(file);
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += chunk.length;
  });
  const bar = options.progress
    ? new SingleBar({
        format: 'importing [{bar}] {percentage}% | {rows} rows | eta {eta_formatted}',
        hideCursor: true,
      })
    : undefined;
  bar?.start(size, 0, { rows: 0 });
  try {
    const result = await importCsv({ mapping: mapping.value, importedAt }, input, sink, (rows) =>
      bar?.update(bytes, { rows }),
    );
    await segment?.close();
    await staged?.close();
    await errorsOnly?.close();
    bar?.update(size);
    bar?.stop();
    if (!result.ok) {
      console.error(result.error.message);
      return 1;
    }
    console.log(formatSummary(result.value));
    if (segment) console.log(`sent ${segment.sent()} identify calls to ${target?.url}`);
    return 0;
  } catch (error: unknown) {
    bar?.stop();
    console.error(`import failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
