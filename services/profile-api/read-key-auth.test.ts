import { createReadKeyCheck } from './read-key-auth';

describe('createReadKeyCheck', () => {
  const check = createReadKeyCheck('rk_0123456789abcdef');

  it('accepts the read key as a Bearer token, scheme in any case', () => {
    expect(check('Bearer rk_0123456789abcdef')).toEqual({ ok: true });
    expect(check('bearer rk_0123456789abcdef')).toEqual({ ok: true });
  });

  it('tells a missing key from a wrong one', () => {
    expect(check(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(check('Basic cms6')).toEqual({ ok: false, reason: 'missing' });
    expect(check('Bearer ')).toEqual({ ok: false, reason: 'missing' });
    expect(check('Bearer rk_0123456789abcdeF')).toEqual({ ok: false, reason: 'wrong' });
    expect(check('Bearer rk_0123456789abcdef0')).toEqual({ ok: false, reason: 'wrong' });
    expect(check('Bearer rk')).toEqual({ ok: false, reason: 'wrong' });
  });
});
