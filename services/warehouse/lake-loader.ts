import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Warehouse, WarehouseStatement } from '../../contracts/ports/warehouse';
import { filesUnder } from './files-under';
import { columnRow, eventRow } from './lake-rows';
import { splitStatements } from './sql-scan';

/** Lake files: GZIP or plain JSON lines. */
const LAKE_FILE = /\.(gz|json|jsonl|ndjson)$/;

/** A local lake table and the columns its rows carry (in `lake-tables.sql` order, `_file` last). */
interface LoadedTable {
  readonly name: 'events' | 'crm_contacts' | 'identity_links' | 'identity_merges' | 'segment_changes';
  readonly columns: readonly (readonly [string, string])[];
  readonly toRow: (line: Record<string, unknown>) => Record<string, unknown>;
  readonly partitioned: boolean;
}

const EVENT_COLUMNS: readonly (readonly [string, string])[] = [
  ['event_id', 'text'],
  ['type', 'text'],
  ['event_name', 'text'],
  ['event_timestamp', 'timestamp'],
  ['received_at', 'timestamp'],
  ['sent_at', 'timestamp'],
  ['original_timestamp', 'timestamp'],
  ['source', 'text'],
  ['identity_user_id', 'text'],
  ['identity_anonymous_id', 'text'],
  ['identity_email', 'text'],
  ['identity_phone', 'text'],
  ['identity_previous_id', 'text'],
  ['identity_external_ids', 'text'],
  ['group_id', 'text'],
  ['name', 'text'],
  ['properties', 'text'],
  ['traits', 'text'],
  ['context', 'text'],
];
const CRM_COLUMNS = EVENT_COLUMNS.filter(
  ([c]) =>
    !['sent_at', 'original_timestamp', 'identity_previous_id', 'group_id', 'name', 'properties'].includes(c),
);

const side = (name: LoadedTable['name'], columns: [string, string][]): LoadedTable => ({
  name,
  columns,
  toRow: (line) =>
    columnRow(
      line,
      columns.map(([c]) => c),
    ),
  partitioned: true,
});

/** The tables the loader fills, from `<lake>/<table>/[dt=YYYY-MM-DD/]*.{gz,json,jsonl}`. */
export const LOADED_TABLES: readonly LoadedTable[] = [
  { name: 'events', columns: EVENT_COLUMNS, toRow: eventRow, partitioned: true },
  { name: 'crm_contacts', columns: CRM_COLUMNS, toRow: eventRow, partitioned: false },
  side('identity_links', [
    ['from_type', 'text'],
    ['from_value', 'text'],
    ['to_type', 'text'],
    ['to_value', 'text'],
    ['event_id', 'text'],
    ['linked_at', 'timestamp'],
  ]),
  side('identity_merges', [
    ['into_profile_id', 'text'],
    ['from_profile_id', 'text'],
    ['cause_event_id', 'text'],
    ['cause', 'text'],
    ['merged_at', 'timestamp'],
  ]),
  side('segment_changes', [
    ['segment_id', 'text'],
    ['profile_id', 'text'],
    ['change', 'text'],
    ['changed_at', 'timestamp'],
    ['origin', 'text'],
    ['change_id', 'text'],
  ]),
];

/** What one load did. */
export interface LakeLoadSummary {
  readonly files: number;
  readonly rows: number;
  readonly skippedFiles: number;
  /** Files loaded before that are gone now (their rows were removed). */
  readonly removedFiles: number;
  /** Lines that were not JSON objects: file (relative to the lake) and line number, never the content. */
  readonly badLines: readonly { file: string; line: number }[];
}

/** Settings of the local lake loader. */
export interface LakeLoaderConfig {
  /** The lake folder (`<data>/lake`). */
  readonly lakeDir: string;
  /** Rows per INSERT (default 5,000). */
  readonly batchRows?: number;
}

function tablesSql(): string {
  const candidates = [
    join(__dirname, 'lake-tables.sql'),
    join(__dirname, '..', '..', '..', 'services', 'warehouse', 'lake-tables.sql'),
  ];
  return readFileSync(candidates.find((p) => existsSync(p)) ?? (candidates[0] as string), 'utf8');
}

/**
 * Loads the local lake into the warehouse's `lake` schema, incrementally by file: a file is loaded
 * once, in one transaction with its bookkeeping row; a file whose size or mtime changed is reloaded
 * (its earlier rows are deleted in the same transaction); a file that is gone loses its rows.
 */
export function createLakeLoader(config: LakeLoaderConfig, deps: { warehouse: Warehouse }) {
  const { warehouse } = deps;
  const batchRows = config.batchRows ?? 5000;

  const insertSql = (table: LoadedTable): string => {
    const cols = [...table.columns.map(([c]) => c), ...(table.partitioned ? ['dt'] : []), '_file'];
    const typed = [...table.columns, ...(table.partitioned ? [['dt', 'text']] : []), ['_file', 'text']]
      .map(([c, t]) => `${c} ${t}`)
      .join(', ');
    return `insert into lake.${table.name} (${cols.join(', ')}) select ${cols.join(', ')} from json_to_recordset($1::json) as r(${typed})`;
  };

  return {
    /** Creates the `lake` tables if missing. */
    async prepare(): Promise<void> {
      for (const s of splitStatements(tablesSql())) await warehouse.query(s);
    },

    /** Loads every new or grown file; safe to run again (and after a crash: a file is one transaction). */
    async load(): Promise<LakeLoadSummary> {
      await this.prepare();
      const loadedRows = await warehouse.query(
        'select table_name, file_path, size_bytes, modified_ms from lake._loaded_files',
      );
      const loaded = new Map(
        loadedRows.rows.map((r) => [`${r.table_name}/${r.file_path}`, `${r.size_bytes}/${r.modified_ms}`]),
      );
      const seen = new Set<string>();
      let files = 0;
      let rows = 0;
      let skippedFiles = 0;
      const badLines: { file: string; line: number }[] = [];
      for (const table of LOADED_TABLES) {
        for (const path of (await filesUnder(join(config.lakeDir, table.name))).filter((f) =>
          LAKE_FILE.test(f),
        )) {
          const rel = relative(config.lakeDir, path);
          const info = await stat(path);
          const size = info.size;
          const modifiedMs = Math.floor(info.mtimeMs);
          seen.add(`${table.name}/${rel}`);
          const before = loaded.get(`${table.name}/${rel}`);
          if (before === `${size}/${modifiedMs}`) {
            skippedFiles++;
            continue;
          }
          const raw = await readFile(path);
          const body = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
          const dt = /dt=(\d{4}-\d{2}-\d{2})/.exec(rel)?.[1] ?? null;
          const parsed: Record<string, unknown>[] = [];
          body.split('\n').forEach((lineText, i) => {
            if (lineText.trim() === '') return;
            try {
              const value = JSON.parse(lineText) as unknown;
              if (value === null || typeof value !== 'object' || Array.isArray(value))
                throw new Error('not an object');
              parsed.push({
                ...table.toRow(value as Record<string, unknown>),
                ...(table.partitioned ? { dt } : {}),
                _file: rel,
              });
            } catch {
              badLines.push({ file: rel, line: i + 1 });
            }
          });
          const statements: WarehouseStatement[] = [
            { sql: `delete from lake.${table.name} where _file = $1`, params: [rel] },
            {
              sql: 'delete from lake._loaded_files where table_name = $1 and file_path = $2',
              params: [table.name, rel],
            },
          ];
          for (let i = 0; i < parsed.length; i += batchRows) {
            statements.push({
              sql: insertSql(table),
              params: [JSON.stringify(parsed.slice(i, i + batchRows))],
            });
          }
          statements.push({
            sql: 'insert into lake._loaded_files (table_name, file_path, size_bytes, modified_ms, row_count, loaded_at) values ($1, $2, $3, $4, $5, localtimestamp)',
            params: [table.name, rel, size, modifiedMs, parsed.length],
          });
          await warehouse.batch(statements);
          files++;
          rows += parsed.length;
        }
      }
      // Files that disappeared (a checkpoint that never completed, retention) take their rows with them.
      let removedFiles = 0;
      for (const key of loaded.keys()) {
        if (seen.has(key)) continue;
        const slash = key.indexOf('/');
        const [table, rel] = [key.slice(0, slash), key.slice(slash + 1)];
        await warehouse.batch([
          { sql: `delete from lake.${table} where _file = $1`, params: [rel] },
          {
            sql: 'delete from lake._loaded_files where table_name = $1 and file_path = $2',
            params: [table, rel],
          },
        ]);
        removedFiles++;
      }
      return { files, rows, skippedFiles, removedFiles, badLines };
    },
  };
}
