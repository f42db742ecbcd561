/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEY =
  /^(authorization|x-write-key|writekeys?|readkeys?|password|secret|token|email|phone|traits|identity|properties|context|body|data)$/i;

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;
/**
 * A phone-like token: 7 to 15 digits (E.164's most), optionally with `+`, spaces, dots, dashes or
 * brackets between them, not part of a longer word or number (sequence numbers, ids) and not a date.
 */
const PHONE = /(?<![\w.+-])\+?\(?\d[\d\s().-]{5,20}\d(?![\w-])/g;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** The text with e-mail addresses and phone-like numbers masked. */
export function redactText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15 && !DATE_LIKE.test(m) ? '[phone]' : m;
  });
}

/**
 * A `JSON.stringify` replacer (Powertools' `jsonReplacerFn`) that removes personal data and secrets:
 * whole values under sensitive keys, e-mail addresses and phone numbers inside any other string.
 */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY.test(key)) return '[redacted]';
  if (typeof value === 'string') return redactText(value);
  return value;
}
