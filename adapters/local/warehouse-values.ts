import type { WarehouseRow } from '../../contracts/ports/warehouse';

/** PostgreSQL type ids the warehouse adapters convert (int8, numeric, timestamp, timestamptz, date). */
export const PG_TYPE = { int8: 20, numeric: 1700, timestamp: 1114, timestamptz: 1184, date: 1082 } as const;

/** `2024-05-01 10:00:00.123` or `2024-05-01 10:00:00+00` (UTC by session setting) as ISO-8601 with ms. */
export function pgTimestampToIso(text: string): string {
  const withT = text.includes('T') ? text : text.replace(' ', 'T');
  const zoned = /(Z|[+-]\d\d(:?\d\d)?)$/.test(withT) ? withT : `${withT}Z`;
  const ms = Date.parse(zoned.replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

/** One value as the port hands it out: numbers for int8/numeric, ISO strings for timestamps. */
export function normalizeValue(value: unknown, typeId: number): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date)
    return typeId === PG_TYPE.date ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (typeId === PG_TYPE.int8 || typeId === PG_TYPE.numeric) return Number(value);
  if (typeId === PG_TYPE.timestamp || typeId === PG_TYPE.timestamptz) return pgTimestampToIso(String(value));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * Rows of a driver result with every value normalized by its column type, in place (the driver's row
 * objects are fresh per query; a copy of each was a third of the garbage of a big read). A timestamp
 * column often repeats one value (a model's `computed_at`): the last conversion per column is reused.
 */
export function normalizeRows(
  rows: readonly Record<string, unknown>[],
  fields: readonly { name: string; dataTypeID: number }[],
): WarehouseRow[] {
  const lastRaw: unknown[] = fields.map(() => undefined);
  const lastValue: (string | number | boolean | null)[] = fields.map(() => null);
  const cached = fields.map(
    (f) => f.dataTypeID === PG_TYPE.timestamp || f.dataTypeID === PG_TYPE.timestamptz,
  );
  for (const row of rows) {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as { name: string; dataTypeID: number };
      const raw = row[f.name];
      if (cached[i] && typeof raw === 'string') {
        if (raw !== lastRaw[i]) {
          lastRaw[i] = raw;
          lastValue[i] = normalizeValue(raw, f.dataTypeID);
        }
        row[f.name] = lastValue[i];
      } else row[f.name] = normalizeValue(raw, f.dataTypeID);
    }
  }
  return rows as WarehouseRow[];
}

/** The driver error's message and position (PGlite and node-postgres both carry `position`). */
export function describeDriverError(error: unknown): { message: string; position?: number } {
  if (error instanceof Error) {
    const raw = (error as { position?: unknown }).position;
    const position = raw === undefined ? undefined : Number(raw);
    return position !== undefined && Number.isFinite(position)
      ? { message: error.message, position }
      : { message: error.message };
  }
  return { message: String(error) };
}
