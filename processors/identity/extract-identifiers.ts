import type { CanonicalEvent } from '../../contracts/canonical-event';
import { type Identifier, normalizeEmail, normalizePhone } from '../../contracts/identifier';
import type { IdentityConfig } from './config';
import type { LinkRule, RejectedIdentifier } from './types';

/** The identifiers an event carries, after normalization and merge protection. */
export interface ExtractedIdentifiers {
  readonly identifiers: Identifier[];
  readonly rejected: RejectedIdentifier[];
  readonly rule: LinkRule;
}

/** Decides whether a normalized identifier value may enter the graph. */
export type IdentifierFilter = (type: string, value: string) => RejectedIdentifier['reason'] | undefined;

const E164 = /^\+[1-9]\d{6,14}$/;

/** Builds the blocked-value check of a config (merge protection, step one). */
export function createIdentifierFilter(
  config: Pick<
    IdentityConfig,
    'blockedValues' | 'blockedValuesByType' | 'blockedEmailLocalParts' | 'blockedEmailDomains'
  >,
): IdentifierFilter {
  const lower = (s: string) => s.trim().toLowerCase();
  const blocked = new Set(config.blockedValues.map(lower));
  const byType = new Map(
    Object.entries(config.blockedValuesByType).map(([t, v]) => [t, new Set(v.map(lower))]),
  );
  const localParts = new Set(config.blockedEmailLocalParts.map(lower));
  const domains = new Set(config.blockedEmailDomains.map(lower));
  return (type, value) => {
    const v = value.toLowerCase();
    if (blocked.has(v) || byType.get(type)?.has(v)) return 'blocked-value';
    if (type === 'email') {
      const at = v.lastIndexOf('@');
      const plus = v.indexOf('+');
      const local = plus > 0 && plus < at ? v.slice(0, plus) : v.slice(0, at);
      if (localParts.has(local) || domains.has(v.slice(at + 1))) return 'blocked-email';
    }
    return undefined;
  };
}

/** A value normalized for its type: e-mail lower-cased, phone in E.164, others trimmed. */
export function normalizeIdentifierValue(type: string, raw: string): string | undefined {
  if (type === 'email') return normalizeEmail(raw);
  if (type === 'phone') {
    const t = raw.trim();
    return E164.test(t) ? t : normalizePhone(t);
  }
  const t = raw.trim();
  return t.length > 0 && t.length <= 1024 ? t : undefined;
}

function add(
  out: ExtractedIdentifiers,
  filter: IdentifierFilter,
  type: string,
  raw: string | undefined,
): void {
  if (raw === undefined) return;
  const value = normalizeIdentifierValue(type, raw);
  if (value === undefined) {
    // An empty or whitespace value is a blocked value, anything else that fails to parse is invalid.
    out.rejected.push({
      type,
      valueLength: raw.length,
      reason: raw.trim() === '' ? 'blocked-value' : 'invalid',
    });
    return;
  }
  const reason = filter(type, value);
  if (reason) {
    out.rejected.push({ type, valueLength: raw.length, reason });
    return;
  }
  for (const x of out.identifiers) if (x.type === type && x.value === value) return;
  out.identifiers.push({ type, value });
}

/**
 * The identifiers of an event: `userId` → `user_id`, `anonymousId` → `anonymous_id`, `email`, `phone`,
 * `previousId` (alias only) → `config.previousIdType`, `externalIds` as given. Normalized, blocked
 * values removed (reported in `rejected`), duplicates removed.
 */
export function extractIdentifiers(
  event: CanonicalEvent,
  previousIdType: string,
  filter: IdentifierFilter,
): ExtractedIdentifiers {
  const out: ExtractedIdentifiers = {
    identifiers: [],
    rejected: [],
    rule: event.type === 'alias' ? 'alias' : 'same-event',
  };
  const id = event.identity;
  add(out, filter, 'user_id', id.userId);
  add(out, filter, 'anonymous_id', id.anonymousId);
  add(out, filter, 'email', id.email);
  add(out, filter, 'phone', id.phone);
  if (event.type === 'alias') add(out, filter, previousIdType, id.previousId);
  if (id.externalIds) for (const x of id.externalIds) add(out, filter, x.type, x.value);
  return out;
}
