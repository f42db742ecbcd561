import { resolveConnection } from './connection';

describe('resolveConnection', () => {
  it('prefers flags, then the environment, then the cdp dev default URL', () => {
    expect(resolveConnection({ url: 'http://h:1/', key: 'k' }, { CDP_URL: 'http://e:2' }, 'read')).toEqual({
      ok: true,
      value: { url: 'http://h:1', key: 'k' },
    });
    expect(resolveConnection({}, { CDP_URL: 'http://e:2', CDP_READ_KEY: 'rk' }, 'read')).toEqual({
      ok: true,
      value: { url: 'http://e:2', key: 'rk' },
    });
    expect(resolveConnection({}, { CDP_READ_KEY: 'rk' }, 'read')).toMatchObject({
      value: { url: 'http://127.0.0.1:8080' },
    });
  });

  it('takes the write key from CDP_WRITE_KEY, else the first of CDP_WRITE_KEYS', () => {
    expect(resolveConnection({}, { CDP_WRITE_KEY: 'wk', CDP_WRITE_KEYS: 'a:web' }, 'write')).toMatchObject({
      value: { key: 'wk' },
    });
    expect(resolveConnection({}, { CDP_WRITE_KEYS: 'first:web, second:ios' }, 'write')).toMatchObject({
      value: { key: 'first' },
    });
    expect(resolveConnection({}, { CDP_READ_KEY: 'rk' }, 'write')).toMatchObject({ ok: false });
  });

  it('falls back to what a local cdp dev left in its data folder, after flags and environment', () => {
    const local = { url: 'http://127.0.0.1:41234', readKey: 'rk_local', writeKey: 'wk_local' };
    expect(resolveConnection({}, {}, 'read', local)).toEqual({
      ok: true,
      value: { url: 'http://127.0.0.1:41234', key: 'rk_local' },
    });
    expect(resolveConnection({}, {}, 'write', local)).toMatchObject({ value: { key: 'wk_local' } });
    expect(resolveConnection({ key: 'k' }, { CDP_URL: 'http://e:2' }, 'read', local)).toEqual({
      ok: true,
      value: { url: 'http://e:2', key: 'k' },
    });
  });

  it('says what is missing or wrong', () => {
    expect(resolveConnection({}, {}, 'read')).toEqual({
      ok: false,
      error: expect.stringContaining('CDP_READ_KEY'),
    });
    expect(resolveConnection({ url: 'ftp://x', key: 'k' }, {}, 'read')).toEqual({
      ok: false,
      error: expect.stringContaining('--url'),
    });
    expect(resolveConnection({ url: 'not a url', key: 'k' }, {}, 'read')).toMatchObject({ ok: false });
  });
});
