import { createWriteKeyResolver, writeKeyOf } from './write-key-auth';

const basic = (user: string, password = '') =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('write key authentication', () => {
  it('reads the key from HTTP Basic (user name) or X-Write-Key', () => {
    expect(writeKeyOf({ authorization: basic('k1') })).toBe('k1');
    expect(writeKeyOf({ authorization: basic('k1', 'ignored') })).toBe('k1');
    expect(writeKeyOf({ 'x-write-key': 'k2' })).toBe('k2');
    expect(writeKeyOf({ authorization: 'Bearer t', 'x-write-key': 'k3' })).toBe('k3');
    expect(writeKeyOf({})).toBeUndefined();
    expect(writeKeyOf({ authorization: basic('') })).toBeUndefined();
  });

  it('maps known keys to their source and refuses unknown ones', () => {
    const resolver = createWriteKeyResolver({ k1: 'web', k2: 'ios' });
    expect(resolver.sourceOf({ authorization: basic('k1') })).toEqual({ key: true, source: 'web' });
    expect(resolver.sourceOf({ authorization: basic('k1') })).toEqual({ key: true, source: 'web' });
    expect(resolver.sourceOf({ 'x-write-key': 'k2' })).toEqual({ key: true, source: 'ios' });
    expect(resolver.sourceOf({ authorization: basic('nope') })).toEqual({ key: true, source: undefined });
    expect(resolver.sourceOf({})).toEqual({ key: false });
  });
});
