/** Limits that keep a decimal exact as a JSON number in both engines (IEEE double, shortest form). */
export const DECIMAL_LIMITS = { integerDigits: 15, fractionDigits: 6, significantDigits: 15 } as const;

const PLAIN_DECIMAL = /^([+-]?)([0-9]+)(?:\.([0-9]+))?$/;

/**
 * Canonical text of a plain decimal (`-0012.50` → `-12.5`, `-0` → `0`), or why it is refused.
 * The text is also what `JSON.stringify(Number(text))` prints, so the staged output is exact.
 */
export function canonicalDecimal(text: string): { ok: true; value: string } | { ok: false; reason: string } {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return { ok: false, reason: 'not a plain decimal number' };
  const sign = m[1] === '-' ? '-' : '';
  const intPart = (m[2] as string).replace(/^0+(?=[0-9])/, '');
  const fracPart = (m[3] ?? '').replace(/0+$/, '');
  const significant = `${intPart}${fracPart}`.replace(/^0+/, '');
  if (
    intPart.length > DECIMAL_LIMITS.integerDigits ||
    fracPart.length > DECIMAL_LIMITS.fractionDigits ||
    significant.length > DECIMAL_LIMITS.significantDigits
  )
    return { ok: false, reason: 'decimal out of range (max 15 integer, 6 fraction, 15 significant digits)' };
  if (significant.length === 0) return { ok: true, value: '0' };
  return { ok: true, value: `${sign}${intPart}${fracPart ? `.${fracPart}` : ''}` };
}
