import type { ProfileView } from '../contracts/profile';

/** A profile for people: ids, traits, counters, figures, segments and the latest activity. */
export function formatProfile(view: ProfileView, activityLines = 10): string {
  const p = view.profile;
  const lines = [
    `Profile ${p.profileId}${view.mergedFrom ? ` (asked for ${view.mergedFrom}, merged into this one)` : ''}`,
    `  identifiers:  ${p.identifiers.map((i) => `${i.type}=${i.value}`).join(', ') || '(none)'}`,
    `  traits:       ${JSON.stringify(p.traits)}`,
    `  seen:         ${p.firstSeen} → ${p.lastSeen} (${p.daysSinceLastVisit} days since the last visit)`,
    `  totals:       ${p.totalEvents} events, ${p.totalPageViews} page views, ${p.totalPurchases} purchases, lifetime value ${p.lifetimeValue}`,
    `  last 30 days: ${p.last30Days.purchases} purchases, revenue ${p.last30Days.revenue}, ${p.last30Days.pageViews} page views`,
    `  sessions:     ${p.sessions.count} (average ${Math.round(p.sessions.averageDurationMs / 1000)} s)`,
    `  segments:     ${view.segments.map((s) => `${s.segmentId} (${s.source})`).join(', ') || '(none)'}`,
  ];
  if (view.recentActivity.length > 0) {
    lines.push('  recent activity:');
    for (const a of view.recentActivity.slice(0, activityLines)) {
      lines.push(`    ${a.timestamp}  ${a.eventName}  (${a.source})`);
    }
  }
  return lines.join('\n');
}
