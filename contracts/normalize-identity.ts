import type { CanonicalIdentity } from './canonical-event';
import {
  type CountryCode,
  type Identifier,
  IdentifierType,
  normalizeEmail,
  normalizePhone,
} from './identifier';
import type { ValidationIssue } from './validation-issue';

/** A raw value found somewhere in an event, with where it was found. */
export interface Found {
  readonly value: unknown;
  readonly path: string;
}

/** Everything an event says about who caused it, before normalization. */
export interface RawIdentity {
  userId?: unknown;
  anonymousId?: unknown;
  previousId?: unknown;
  /** Email candidates in priority order; the first valid one wins. */
  emails: readonly Found[];
  /** Phone candidates in priority order; the first valid one wins. */
  phones: readonly Found[];
  /** Custom identifiers: `type` as sent (made snake_case), `value` the id. */
  custom: readonly { readonly type: string; readonly value: unknown; readonly path: string }[];
}

/** Normalized identity, or why the event has no usable identifier. */
export type IdentityResult =
  | { ok: true; value: CanonicalIdentity; warnings: readonly ValidationIssue[] }
  | { ok: false; errors: ValidationIssue[] };

const NO_IDENTIFIER =
  'the event has no identifier: send userId, anonymousId, a valid email or phone in traits / context.traits, ' +
  'or context.externalIds';

const snakeCache = new Map<string, string | undefined>();

/** A custom identifier type as Tributary names it (`crmId`, `CRM ID` → `crm_id`); undefined if impossible. */
export function toIdentifierType(raw: string): string | undefined {
  const hit = snakeCache.get(raw);
  if (hit !== undefined || snakeCache.has(raw)) return hit;
  const snake = raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  const result = IdentifierType.safeParse(snake).success ? snake : undefined;
  if (snakeCache.size > 10_000) snakeCache.clear();
  snakeCache.set(raw, result);
  return result;
}

const phoneCache = new Map<string, string | null>();

/** normalizePhone with a small memo: the same numbers arrive again and again, libphonenumber is slow. */
function cachedPhone(raw: unknown, country: CountryCode | undefined): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const key = `${country ?? ''}|${raw}`;
  const hit = phoneCache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const phone = normalizePhone(raw, country);
  if (phoneCache.size > 10_000) phoneCache.clear();
  phoneCache.set(key, phone ?? null);
  return phone;
}

function idString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function add(list: ValidationIssue[] | undefined, issue: ValidationIssue): ValidationIssue[] {
  if (list === undefined) return [issue];
  list.push(issue);
  return list;
}

const NO_WARNINGS: readonly ValidationIssue[] = [];

const BUILTIN = new Set(['user_id', 'anonymous_id', 'email', 'phone']);

/**
 * Normalizes an event's identifiers: top-level ids as sent, the first valid email (trimmed, lower-case)
 * and phone (E.164), custom ids with snake_case types. An invalid email or phone is not used as an
 * identifier (a warning says so; the value stays where it was); if nothing usable is left the event
 * is refused. Custom ids of a built-in type (`email`, `user_id`, ...) fill that field when it is
 * empty, are dropped when equal to it, and otherwise stay in `externalIds`.
 */
export function normalizeIdentity(raw: RawIdentity, defaultPhoneCountry?: CountryCode): IdentityResult {
  let warnings: ValidationIssue[] | undefined;
  const identity: CanonicalIdentity = {};
  const userId = idString(raw.userId);
  if (userId !== undefined) identity.userId = userId;
  const anonymousId = idString(raw.anonymousId);
  if (anonymousId !== undefined) identity.anonymousId = anonymousId;
  const previousId = idString(raw.previousId);
  if (previousId !== undefined) identity.previousId = previousId;

  for (const found of raw.emails) {
    // "" and null are how clients say "no email": absent, not invalid
    if (found.value === undefined || found.value === null || found.value === '') continue;
    const email = normalizeEmail(found.value);
    if (email !== undefined) {
      identity.email = email;
      break;
    }
    warnings = add(warnings, {
      path: found.path,
      message: 'not a valid email address: kept as sent, not used as an identifier',
    });
  }
  for (const found of raw.phones) {
    if (found.value === undefined || found.value === null || found.value === '') continue;
    const phone = cachedPhone(found.value, defaultPhoneCountry);
    if (phone !== undefined) {
      identity.phone = phone;
      break;
    }
    warnings = add(warnings, {
      path: found.path,
      message:
        'not a valid phone number (E.164 such as +14155552671, or national with a configured default ' +
        'country): kept as sent, not used as an identifier',
    });
  }

  let externalIds: Identifier[] | undefined;
  let errors: ValidationIssue[] | undefined;
  for (const custom of raw.custom) {
    const type = toIdentifierType(custom.type);
    if (type === undefined) {
      errors = add(errors, {
        path: custom.path,
        message: `identifier type ${JSON.stringify(custom.type.slice(0, 64))} cannot be made snake_case (a letter first, then letters, digits or _)`,
      });
      continue;
    }
    let value: string | undefined;
    if (type === 'email') value = normalizeEmail(custom.value);
    else if (type === 'phone') value = cachedPhone(custom.value, defaultPhoneCountry);
    else value = idString(custom.value);
    if (value === undefined) {
      warnings = add(warnings, {
        path: custom.path,
        message: `not a valid ${type} value: kept as sent, not used as an identifier`,
      });
      continue;
    }
    if (BUILTIN.has(type)) {
      const field = type === 'user_id' ? 'userId' : type === 'anonymous_id' ? 'anonymousId' : type;
      const current = identity[field as 'userId' | 'anonymousId' | 'email' | 'phone'];
      if (current === undefined) {
        identity[field as 'userId' | 'anonymousId' | 'email' | 'phone'] = value;
        continue;
      }
      if (current === value) continue;
    }
    externalIds ??= [];
    if (!externalIds.some((e) => e.type === type && e.value === value)) externalIds.push({ type, value });
  }
  if (errors !== undefined) return { ok: false, errors };
  if (externalIds !== undefined) identity.externalIds = externalIds;

  const hasId =
    identity.userId !== undefined ||
    identity.anonymousId !== undefined ||
    identity.email !== undefined ||
    identity.phone !== undefined ||
    externalIds !== undefined;
  if (!hasId) {
    if (warnings !== undefined) {
      return {
        ok: false,
        errors: warnings.map((w) => ({
          path: w.path,
          message: `${w.message.split(':')[0]}, and the event has no other identifier`,
        })),
      };
    }
    return { ok: false, errors: [{ path: 'userId', message: NO_IDENTIFIER }] };
  }
  return { ok: true, value: identity, warnings: warnings ?? NO_WARNINGS };
}

/** The key that picks the event's shard: the first present of userId, anonymousId, email, phone. */
export function partitionKeyOf(identity: CanonicalIdentity, eventId: string): string {
  return (
    identity.userId ??
    identity.anonymousId ??
    identity.email ??
    identity.phone ??
    (identity.externalIds?.[0] ? `${identity.externalIds[0].type}:${identity.externalIds[0].value}` : eventId)
  );
}
