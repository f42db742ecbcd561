import { copyPlainData } from './copy-plain-data';

describe('copyPlainData', () => {
  it('copies JSON-shaped data deeply: equal, sharing no object with the original', () => {
    // Prepare
    const original = {
      a: 1,
      s: 'x',
      n: null,
      u: undefined,
      b: false,
      list: [{ k: [1, 2] }, 'y'],
      nested: { deeper: { v: 2.5 } },
    };
    // Act
    const copied = copyPlainData(original);
    copied.list[0] = { k: [9] };
    copied.nested.deeper.v = 0;
    // Assess
    expect(copyPlainData(original)).toStrictEqual(structuredClone(original));
    expect(original.list[0]).toEqual({ k: [1, 2] });
    expect(original.nested.deeper.v).toBe(2.5);
    expect(Object.hasOwn(copyPlainData(original), 'u')).toBe(true);
  });

  it('keeps an own __proto__ key as data', () => {
    const original = JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as Record<string, unknown>;
    const copied = copyPlainData(original);
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Object.hasOwn(copied, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copied, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives what structuredClone gives for what is not plain data (dates, maps, cycles, holes)', () => {
    // Prepare
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const withDate = { at: new Date(0), map: new Map([['k', 1]]) };
    // biome-ignore lint/suspicious/noSparseArray: a hole is the case under test
    const holey = [1, , 3];
    // Act
    const copiedCyclic = copyPlainData(cyclic);
    const copiedDate = copyPlainData(withDate);
    const copiedHoley = copyPlainData(holey);
    // Assess
    expect(copiedCyclic.self).toBe(copiedCyclic);
    expect(copiedCyclic).not.toBe(cyclic);
    // (jest's Date is another realm's: check the kind, not the constructor)
    expect(Object.prototype.toString.call(copiedDate.at)).toBe('[object Date]');
    expect(copiedDate.at.getTime()).toBe(0);
    expect(copiedDate.at).not.toBe(withDate.at);
    expect(copiedDate.map.get('k')).toBe(1);
    expect(1 in copiedHoley).toBe(false);
    expect(copiedHoley).toHaveLength(3);
  });

  it('refuses functions as structuredClone does', () => {
    expect(() => copyPlainData({ f: () => 1 })).toThrow();
  });
});
