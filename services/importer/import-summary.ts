import type { RejectedRow } from './row-mapper';

/** How an import went: rows read, accepted, rejected, and the rejects counted by column and reason. */
export interface ImportSummary {
  rows: number;
  accepted: number;
  rejected: number;
  reasons: Array<{ column: string | null; reason: string; count: number }>;
}

/** Accumulates an `ImportSummary`. */
export function createSummaryCounter(): {
  accept(): void;
  reject(r: RejectedRow): void;
  summary(): ImportSummary;
} {
  let accepted = 0;
  let rejected = 0;
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
    summary: () => ({
      rows: accepted + rejected,
      accepted,
      rejected,
      reasons: [...counts.values()].sort((a, b) => b.count - a.count),
    }),
  };
}

/** The summary as lines for people: counts, then each reason with its column (never cell values). */
export function formatSummary(s: ImportSummary): string {
  const lines = [`${s.rows} rows: ${s.accepted} accepted, ${s.rejected} rejected`];
  for (const r of s.reasons)
    lines.push(`  ${String(r.count).padStart(7)}  ${r.column ?? '(row)'}: ${r.reason}`);
  return lines.join('\n');
}
