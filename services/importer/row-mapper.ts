import type { CanonicalEvent, CanonicalIdentity } from '../../contracts/canonical-event';
import type { Identifier } from '../../contracts/identifier';
import type { ImportMapping } from '../../contracts/import-mapping';
import { importEventId } from './event-id';
import { createFieldParser, type FieldParser } from './field-parsers';

/** Why a row was refused: the column (or `null` for the whole row) and the reason. */
export interface RejectReason {
  column: string | null;
  reason: string;
}

/** A refused row: its 1-based record number after the header, its cells as read, and every reason. */
export interface RejectedRow {
  row: number;
  fields: string[];
  reasons: RejectReason[];
}

/** What one CSV row becomes. */
export type RowResult = { ok: true; event: CanonicalEvent } | { ok: false; rejected: RejectedRow };

/** Turns the cells of one data row into an event or a reject. */
export type RowMapper = (cells: string[], row: number) => RowResult;

/** The header lacks columns the mapping reads. */
export class ImportHeaderError extends Error {
  constructor(
    readonly missing: string[],
    options?: { cause?: unknown },
  ) {
    super(`the CSV header lacks the mapped column(s): ${missing.join(', ')}`, options);
    this.name = 'ImportHeaderError';
  }
}

const IMPORTED_AT = /^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,3}))?Z$/;

/** `importedAt` as the events carry it (`...T10:00:00.000Z`), or `undefined` when it is not UTC ISO-8601. */
export function normalizeImportedAt(text: string): string | undefined {
  const m = IMPORTED_AT.exec(text);
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(3, '0')}Z`;
}

/** Cleans header cells: BOM-free (the parser drops it) and trimmed. */
export function cleanHeader(cells: readonly string[]): string[] {
  return cells.map((c) => c.replace(/^\uFEFF/, '').trim());
}

interface Column {
  index: number;
  column: string;
  field: string;
  parse: FieldParser;
  required: boolean;
  identifier: string | undefined;
  trait: string | undefined;
  isTimestamp: boolean;
  isDate: boolean;
}

/**
 * A row mapper for a validated mapping, a CSV header and the import time (`receivedAt`, and
 * `timestamp` of rows without a value in the mapping's `timestampField`).
 */
export function createRowMapper(
  config: { mapping: ImportMapping; importedAt: string },
  header: readonly string[],
): { ok: true; value: RowMapper } | { ok: false; error: ImportHeaderError } {
  const { mapping, importedAt } = config;
  const names = cleanHeader(header);
  const missing = mapping.fields.map((f) => f.column.trim()).filter((c) => !names.includes(c));
  if (missing.length > 0) return { ok: false, error: new ImportHeaderError(missing) };
  const columns: Column[] = mapping.fields.map((f) => ({
    index: names.indexOf(f.column.trim()),
    column: f.column.trim(),
    field: f.field,
    parse: createFieldParser(f),
    required: f.required === true,
    identifier: f.identifier,
    trait: f.trait,
    isTimestamp: f.field === mapping.timestampField,
    isDate: f.type === 'date',
  }));
  const width = names.length;
  const context = (row: number) => ({ import: { mapping: mapping.name, row } });

  const mapper: RowMapper = (cells, row) => {
    if (cells.length !== width) {
      const reason = `expected ${width} columns, found ${cells.length}`;
      return { ok: false, rejected: { row, fields: cells, reasons: [{ column: null, reason }] } };
    }
    const reasons: RejectReason[] = [];
    const traits: Record<string, string | number | boolean> = {};
    const ids: Record<string, string> = {};
    let timestamp = importedAt;
    for (const c of columns) {
      const parsed = c.parse(cells[c.index] as string);
      if (!parsed.ok) {
        reasons.push({ column: c.column, reason: parsed.reason });
        continue;
      }
      const value = parsed.value;
      if (value === undefined) {
        if (c.required) reasons.push({ column: c.column, reason: 'required value is empty' });
        continue;
      }
      if (c.identifier !== undefined) ids[c.identifier] = String(value);
      if (c.trait !== undefined) traits[c.trait] = value;
      if (c.isTimestamp) timestamp = c.isDate ? `${value}T00:00:00.000Z` : String(value);
    }
    if (reasons.length === 0 && Object.keys(ids).length === 0)
      reasons.push({ column: null, reason: 'row has no identifier' });
    if (reasons.length > 0) return { ok: false, rejected: { row, fields: cells, reasons } };

    const identity: CanonicalIdentity = {};
    if (ids.user_id !== undefined) identity.userId = ids.user_id;
    if (ids.anonymous_id !== undefined) identity.anonymousId = ids.anonymous_id;
    if (ids.email !== undefined) identity.email = ids.email;
    if (ids.phone !== undefined) identity.phone = ids.phone;
    const externalIds: Identifier[] = [];
    for (const c of columns) {
      const id = c.identifier;
      if (id === undefined || id === 'user_id' || id === 'anonymous_id' || id === 'email' || id === 'phone')
        continue;
      const value = ids[id];
      if (value !== undefined) externalIds.push({ type: id, value });
    }
    if (externalIds.length > 0) identity.externalIds = externalIds;
    const event: CanonicalEvent = {
      eventId: importEventId(mapping.name, cells),
      type: 'identify',
      eventName: 'identify',
      timestamp,
      receivedAt: importedAt,
      source: mapping.source,
      identity,
      properties: {},
      traits,
      context: context(row),
    };
    return { ok: true, event };
  };
  return { ok: true, value: mapper };
}
