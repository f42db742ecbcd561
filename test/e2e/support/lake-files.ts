import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Every row of a local lake table (all `dt=` partitions, all files), parsed. */
export function readLakeTable(lakeDir: string, table: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  let partitions: string[];
  try {
    partitions = readdirSync(join(lakeDir, table));
  } catch {
    return rows;
  }
  for (const partition of partitions) {
    const dir = join(lakeDir, table, partition);
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json.gz')) continue;
      const text = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
      for (const line of text.split('\n'))
        if (line !== '') rows.push(JSON.parse(line) as Record<string, unknown>);
    }
  }
  return rows;
}
