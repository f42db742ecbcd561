import { parseReadKeysSecret, parseWriteKeysSecret, SecretFormatError } from './secret-keys';

describe('key secrets', () => {
  it('reads write keys in the documented shape and the bare one', () => {
    // Act
    const keys = parseWriteKeysSecret('{"wk-1":{"source":"web"},"wk-2":"ios"}', 'tributary/dev/write-keys');
    // Assess
    expect(keys).toEqual({ 'wk-1': 'web', 'wk-2': 'ios' });
  });

  it('names the bad entry by position, never quoting the key', () => {
    // Act
    const attempt = () => parseWriteKeysSecret('{"secret-key-1":{"source":"Bad Name"}}', 's');
    // Assess
    expect(attempt).toThrow(SecretFormatError);
    expect(attempt).toThrow(/entry 1/);
    expect(attempt).not.toThrow(/secret-key-1/);
  });

  it('refuses text that is not JSON, and empty key sets', () => {
    expect(() => parseWriteKeysSecret('wk:web', 's')).toThrow(/not JSON/);
    expect(() => parseWriteKeysSecret('{}', 's')).toThrow(/at least one/);
  });

  it('reads the one read key', () => {
    expect(parseReadKeysSecret('{"rk-0123456789abcdef":{"name":"crm"}}', 's')).toBe('rk-0123456789abcdef');
    expect(() => parseReadKeysSecret('{"a-0123456789abcdef":"x","b-0123456789abcdef":"y"}', 's')).toThrow(
      /exactly one/,
    );
  });
});
