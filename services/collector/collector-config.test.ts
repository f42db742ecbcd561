import { CollectorConfig, parseWriteKeyList } from './collector-config';

describe('collector configuration', () => {
  it('applies Segment’s limits by default', () => {
    const config = CollectorConfig.parse({ writeKeys: { k: 'web' } });
    expect(config).toMatchObject({ maxEventBytes: 32 * 1024, maxBatchBytes: 500 * 1024, corsOrigins: '*' });
  });

  it('refuses a configuration without write keys or with a bad source name', () => {
    expect(CollectorConfig.safeParse({ writeKeys: {} }).success).toBe(false);
    expect(CollectorConfig.safeParse({ writeKeys: { k: 'Web Site' } }).success).toBe(false);
  });

  it('reads CDP_WRITE_KEYS', () => {
    expect(parseWriteKeyList('k1:web, k2:ios,')).toEqual({ ok: true, value: { k1: 'web', k2: 'ios' } });
    expect(parseWriteKeyList('a:b:crm')).toEqual({ ok: true, value: { 'a:b': 'crm' } });
    expect(parseWriteKeyList('secretkey')).toMatchObject({ ok: false });
    expect(parseWriteKeyList('k:Bad Source')).toMatchObject({ ok: false });
    expect(parseWriteKeyList(' , ')).toMatchObject({ ok: false });
  });

  it('does not echo a whole write key in its errors', () => {
    const result = parseWriteKeyList('supersecretvalue');
    expect(!result.ok && result.error).not.toContain('supersecretvalue');
  });
});
