import { copyPlain } from './copy-plain';

describe('copyPlain', () => {
  it('copies plain data as structuredClone does, sharing nothing with the original', () => {
    // Prepare
    const value = {
      a: 1,
      b: 'x',
      c: [1, { d: null, e: undefined }, [true, false]],
      f: { g: { h: -0, i: Number.NaN } },
      ['__proto__']: { polluted: true },
      n: Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' }),
    };
    Object.defineProperty(value, '__proto__', { value: { own: 1 }, enumerable: true });

    // Act
    const copy = copyPlain(value);

    // Assess
    expect(copy).toEqual(structuredClone(value));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(copy)).toEqual(Object.getOwnPropertyNames(structuredClone(value)));
    expect(Object.is(copy.f.g.h, -0)).toBe(true);
    expect(copy.c).not.toBe(value.c);
    expect(copy.c[1]).not.toBe(value.c[1]);
    expect(copy.f.g).not.toBe(value.f.g);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves anything else to structuredClone: dates and maps are copied, functions refused', () => {
    // Prepare
    const at = new Date('2026-01-01T00:00:00.000Z');
    const sparse: number[] = [1];
    sparse[2] = 3;

    // Act
    const copy = copyPlain({ at, m: new Map([['k', 1]]), sparse });

    // Assess
    expect(copy.at).toEqual(at);
    expect(copy.at).not.toBe(at);
    expect(copy.m).toEqual(new Map([['k', 1]]));
    expect(1 in copy.sparse).toBe(false);
    expect(() => copyPlain({ f: () => 1 })).toThrow();
  });
});
