/**
 * Names a side output of an operator (Flink's `OutputTag<T>`): late window data, dead letters, anything
 * that is not the main result. Two tags are the same output when their ids are equal.
 */
export class OutputTag<T> {
  /** Phantom field that carries the element type; never set. */
  declare readonly __type?: T;
  constructor(readonly id: string) {
    if (id.length === 0) throw new Error('OutputTag id must not be empty');
  }
  toString(): string {
    return `OutputTag(${this.id})`;
  }
}
