import type { RejectedRow } from './row-mapper';

/** How an import went: rows read, accepted, rejected, and the rejects counted by column and reason. */
export interface ImportSummary {
  rows: number;
  accepted: number;
  rejected: number;
  reasons: Array<{ column: string | null; reason: string; count: number }>;
  /** Set when the CSV could not be parsed to its end; the rest of the file was not read. */
  parseError?: string;
}

/** Accumulates an `ImportSummary`. */
export function createSummaryCounter(): {
  accept(): void;
  reject(r: RejectedRow): void;
  parseError(message: string): void;
  summary(): ImportSummary;
} {
  let accepted = 0;
  let rejected = 0;
  let parseError: string | undefined;
  const counts = new Map<string, { column: string | null; reason: string; count: number }>();
  return {
    accept: () => {
      accepted++;
    },
    reject: (r) => {
      rejected++;
      for (const { column, reason } of r.reasons) {
        const key = `${column ?? ''}\u0000${reason}`;
        const entry = counts.get(key);
        if (entry) entry.count++;
        else counts.set(key, { column, reason, count: 1 });
      }
    },
    parseError: (message) => {
      parseError = message;
    },
    summary: () => ({
      rows: accepted + rejected,
      accepted,
      rejected,
      reasons: [...counts.values()].sort((a, b) => b.count - a.count),
      ...(parseError === undefined ? {} : { parseError }),
    }),
  };
}

/** The summary as lines for people: counts, then each reason with its column (never cell values). */
export function formatSummary(s: ImportSummary): string {
  const lines = [`${s.rows} rows: ${s.accepted} accepted, ${s.rejected} rejected`];
  for (const r of s.reasons)
    lines.push(`  ${String(r.count).padStart(7)}  ${r.column ?? '(row)'}: ${r.reason}`);
  if (s.parseError !== undefined) lines.push(`  CSV parse error, rest of file not read: ${s.parseError}`);
  return lines.join('\n');
}
