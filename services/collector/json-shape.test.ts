import { nestsDeeperThan, scanJsonShape } from './json-shape';

const scan = (text: string) => scanJsonShape(Buffer.from(text));

describe('scanJsonShape', () => {
  it('measures nesting depth, ignoring brackets inside strings and escaped quotes', () => {
    expect(scan('{"a":{"b":[1,{"c":2}]}}').maxDepth).toBe(4);
    expect(scan('{"a":"{[{[{[", "b":"\\"{{{"}').maxDepth).toBe(1);
    expect(scan('"just a string"').maxDepth).toBe(0);
  });

  it('measures the largest element of a top-level array in the body object', () => {
    const events = [{ a: 1 }, { b: 'x'.repeat(100) }];
    const text = JSON.stringify({ batch: events });
    expect(scan(text).maxItemBytes).toBe(JSON.stringify(events[1]).length);
    expect(scan('{"context":{"x":{"y":1}}}').maxItemBytes).toBe(0);
  });

  it('flags texts that could hold a __proto__ or constructor key', () => {
    expect(scan('{"a":1}').suspectKeys).toBe(false);
    expect(scan('{"__proto__":1}').suspectKeys).toBe(true);
    expect(scan('{"constructor":{}}').suspectKeys).toBe(true);
    expect(scan('{"a":"\\u005f"}').suspectKeys).toBe(true);
    expect(scan('{"prototype":1,"constructors":2}').suspectKeys).toBe(false);
  });
});

describe('nestsDeeperThan', () => {
  it('tells whether a value nests objects and arrays deeper than a limit', () => {
    expect(nestsDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [[1]] } }, 3)).toBe(true);
    expect(nestsDeeperThan('x', 0)).toBe(false);
  });
});
