import { z } from 'zod';
import { IdentifierType } from '../../contracts/identifier';

/** Values that never identify a person, whatever their type (compared trimmed and case-insensitively). */
export const DEFAULT_BLOCKED_VALUES = [
  '',
  'null',
  'undefined',
  'nil',
  'none',
  'nan',
  'anonymous',
  'anon',
  'unknown',
  'guest',
  'n/a',
  'na',
  '0',
  '-1',
  'true',
  'false',
  '[object object]',
] as const;

/** Local parts of generic e-mail addresses shared by many people (`test@…`, `noreply@…`, `info@…`). */
export const DEFAULT_BLOCKED_EMAIL_LOCAL_PARTS = [
  'test',
  'noreply',
  'no-reply',
  'no_reply',
  'donotreply',
  'do-not-reply',
  'info',
  'admin',
  'support',
  'contact',
  'sales',
  'null',
  'none',
  'example',
  'email',
  'user',
] as const;

/**
 * Identity resolution settings. Higher `priorities` are stronger; `limits` cap how many identifiers
 * of a type one profile may hold (a link that would exceed a limit is recorded but never merges).
 */
export const IdentityConfig = z.object({
  /** Blocked for every type; trimmed, case-insensitive. */
  blockedValues: z.array(z.string()).default([...DEFAULT_BLOCKED_VALUES]),
  /** Extra blocked values per identifier type (e.g. a known test phone number). */
  blockedValuesByType: z.record(IdentifierType, z.array(z.string())).default({}),
  /** E-mail local parts (before `@`, `+tag` removed) that are blocked on any domain. */
  blockedEmailLocalParts: z.array(z.string()).default([...DEFAULT_BLOCKED_EMAIL_LOCAL_PARTS]),
  /** E-mail domains blocked entirely (e.g. `mailinator.com`); none by default. */
  blockedEmailDomains: z.array(z.string()).default([]),
  /** At most this many identifiers of a type per profile. Default: one `user_id`. */
  limits: z.record(IdentifierType, z.number().int().min(1).max(65535)).default({ user_id: 1 }),
  /** Which identifier names a profile (its id): highest priority, then earliest seen, then value. */
  priorities: z
    .record(IdentifierType, z.number().int())
    .default({ user_id: 100, email: 80, phone: 60, anonymous_id: 10 }),
  /** Priority of identifier types missing from `priorities` (custom ids such as `crm_id`). */
  customTypePriority: z.number().int().default(50),
  /** Type given to an alias's `previousId` (Segment sends the anonymous id there by default). */
  previousIdType: IdentifierType.default('anonymous_id'),
  /** Identifiers kept per event (in extraction order); the rest are rejected as `too-many-identifiers`. */
  maxIdentifiersPerEvent: z.number().int().min(1).max(1000).default(32),
  /** Distinct identifier types the graph accepts (built-ins included); new ones beyond are rejected. */
  maxIdentifierTypes: z.number().int().min(4).max(256).default(64),
  /** Prefix of profile ids. */
  profileIdPrefix: z.string().max(32).default('prof_'),
  /** Mixed into the profile-id hash so ids cannot be reversed from a guessed e-mail. */
  profileIdSalt: z.string().default(''),
});
export type IdentityConfig = z.infer<typeof IdentityConfig>;

/** Input form of the config: every field optional, defaults filled by `IdentityConfig.parse`. */
export type IdentityConfigInput = z.input<typeof IdentityConfig>;
