import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Built-in identifier types; custom types (e.g. `crm_id`) follow the same naming rule. */
export const BUILTIN_IDENTIFIER_TYPES = ['user_id', 'anonymous_id', 'email', 'phone'] as const;

/** An identifier type: `user_id`, `anonymous_id`, `email`, `phone` or a custom snake_case name. */
export const IdentifierType = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case: a lower-case letter, then letters, digits or _');
export type IdentifierType = z.infer<typeof IdentifierType>;

/** One normalized identifier of a person. */
export const Identifier = z.object({
  type: IdentifierType,
  value: z.string().min(1).max(1024),
});
export type Identifier = z.infer<typeof Identifier>;

/** Email as Tributary keys it: trimmed and lower-cased; `undefined` when it is not an address. */
export function normalizeEmail(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const email = raw.trim().toLowerCase();
  if (email.length === 0 || email.length > 320) return undefined;
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@') || at === email.length - 1) return undefined;
  if (/\s/.test(email)) return undefined;
  return email;
}

/**
 * Phone in E.164 (`+14155552671`) through libphonenumber; `undefined` when it is not a valid number.
 * Numbers without a country prefix are read in `defaultCountry`.
 */
export function normalizePhone(raw: unknown, defaultCountry?: CountryCode): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const text = String(raw).trim();
  if (text.length === 0 || text.length > 64) return undefined;
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

export type { CountryCode };
