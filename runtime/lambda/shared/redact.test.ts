import { redactingReplacer, redactText } from './redact';

describe('log redaction', () => {
  it('masks e-mail addresses and phone numbers inside any text', () => {
    // Act
    const text = redactText('user Ann.Lee+x@Example.co.uk called from +1 (415) 555-0100 about order 42');
    // Assess
    expect(text).toBe('user [email] called from [phone] about order 42');
  });

  it('leaves times, dates and long sequence numbers alone', () => {
    // Prepare
    const text =
      'at 2026-12-04T20:53:01.307Z seq 49654139395436735416395935417052412516083620929224753154 on 2026-12-04';
    // Act / Assess
    expect(redactText(text)).toBe(text);
  });

  it('drops whole values under secret or personal keys, at any depth', () => {
    // Prepare
    const line = {
      message: 'batch for ann@example.com',
      writeKey: 'wk_live_123',
      nested: { headers: { authorization: 'Basic abc' }, traits: { name: 'Ann' }, count: 3 },
    };
    // Act
    const out = JSON.parse(JSON.stringify(line, redactingReplacer));
    // Assess
    expect(out).toEqual({
      message: 'batch for [email]',
      writeKey: '[redacted]',
      nested: { headers: { authorization: '[redacted]' }, traits: '[redacted]', count: 3 },
    });
  });
});
