/**
 * Lake lines (one JSON object each) as rows of the local `lake.*` tables: canonical events flatten
 * their identity; side-output tables already use the Glue column names.
 */

type Row = Record<string, unknown>;

const text = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** A canonical event (camelCase, nested identity) as a `lake.events` / `lake.crm_contacts` row. */
export function eventRow(line: Row): Row {
  const identity = (line.identity ?? {}) as Row;
  const external = identity.externalIds;
  return {
    event_id: text(line.eventId),
    type: text(line.type),
    event_name: text(line.eventName),
    event_timestamp: text(line.timestamp),
    received_at: text(line.receivedAt),
    sent_at: text(line.sentAt),
    original_timestamp: text(line.originalTimestamp),
    source: text(line.source),
    identity_user_id: text(identity.userId),
    identity_anonymous_id: text(identity.anonymousId),
    identity_email: text(identity.email),
    identity_phone: text(identity.phone),
    identity_previous_id: text(identity.previousId),
    identity_external_ids: Array.isArray(external) && external.length > 0 ? json(external) : null,
    group_id: text(line.groupId),
    name: text(line.name),
    properties: json(line.properties ?? {}),
    traits: json(line.traits ?? {}),
    context: json(line.context ?? {}),
  };
}

/** A side-output line (`identity_links`, ...): its columns as they are, JSON values as text. */
export function columnRow(line: Row, columns: readonly string[]): Row {
  const out: Row = {};
  for (const c of columns) out[c] = text(line[c]);
  return out;
}
