import type { Identifier } from '../../contracts/identifier';
import { compareSequences, type ProfileAccumulator } from '../profiles';

/**
 * The keyed state of one profile: one accumulator ("slice") per identifier that was the primary
 * identifier of some of its events. Slices never split or mix, so when identity resolution moves an
 * identifier to another profile (a late event, an unmerge) its events' state moves with it exactly.
 * The profile's figures are the merge of its slices.
 */
export interface ProfileState {
  slices: Map<string, ProfileAccumulator>;
  /** Profile ids merged into this one. */
  mergedFrom: string[];
  /** Real-time segments the profile is in, with the time it entered (epoch ms). */
  segments: Map<string, number>;
  /**
   * Highest sequence number per shard of the events that changed this profile: added to it, or moved
   * state into or out of it (a profile that loses a slice is changed by that event too). Never goes
   * back, so a replay after a restore can be recognized and skipped.
   */
  sequences: Map<string, string>;
}

/** Raises `sequences[shard]` to `sequence` if it is higher. */
export function raiseSequence(sequences: Map<string, string>, shard: string, sequence: string): void {
  const cur = sequences.get(shard);
  if (cur === undefined || compareSequences(sequence, cur) > 0) sequences.set(shard, sequence);
}

/** A new, empty profile state. */
export function createProfileState(): ProfileState {
  return { slices: new Map(), mergedFrom: [], segments: new Map(), sequences: new Map() };
}

/** Key of a slice: `type:value` (types are snake_case, so the first `:` separates). */
export function sliceKey(identifier: Identifier): string {
  return `${identifier.type}:${identifier.value}`;
}

/** The identifier a slice key names. */
export function sliceIdentifier(key: string): Identifier {
  const at = key.indexOf(':');
  return { type: key.slice(0, at), value: key.slice(at + 1) };
}
