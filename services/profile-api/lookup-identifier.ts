import {
  type CountryCode,
  type Identifier,
  IdentifierType,
  normalizeEmail,
  normalizePhone,
} from '../../contracts/identifier';
import type { ValidationIssue } from '../../contracts/validation-issue';

/** Outcome of reading a lookup's `type` and `value`: the identifier as stored, or what is wrong. */
export type LookupIdentifier =
  | { readonly ok: true; readonly identifier: Identifier }
  | { readonly ok: false; readonly issue: ValidationIssue };

/**
 * The identifier a lookup names, normalized as the collector normalizes it on ingest (email trimmed and
 * lower-cased, phone in E.164 read in `defaultPhoneCountry` when it has no `+`, other types trimmed),
 * so that `?type=email&value=Ann@X.io` finds what `traits.email: " ann@x.io"` created.
 */
export function lookupIdentifier(
  type: string,
  rawValue: string,
  defaultPhoneCountry?: string,
): LookupIdentifier {
  const typeCheck = IdentifierType.safeParse(type);
  if (!typeCheck.success) {
    return {
      ok: false,
      issue: {
        path: 'type',
        message:
          'must be email, user_id, anonymous_id, phone or a custom identifier type in snake_case (e.g. crm_id)',
      },
    };
  }
  let value: string | undefined;
  if (type === 'email') value = normalizeEmail(rawValue);
  else if (type === 'phone') value = normalizePhone(rawValue, defaultPhoneCountry as CountryCode | undefined);
  else {
    const trimmed = rawValue.trim();
    value = trimmed.length > 0 && trimmed.length <= 1024 ? trimmed : undefined;
  }
  if (value === undefined) {
    const why =
      type === 'email'
        ? 'is not an email address'
        : type === 'phone'
          ? `is not a valid phone number (give it in E.164 such as +14155552671${defaultPhoneCountry ? '' : '; no default country is set'})`
          : 'must be 1 to 1024 characters, not blank';
    return { ok: false, issue: { path: 'value', message: why } };
  }
  return { ok: true, identifier: { type, value } };
}
