import type { ProfileEventMapping } from './profile-config';

/** What an event means to a profile's counters. */
export const EventKind = { Other: 0, PageView: 1, Purchase: 2, Signup: 3 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** Looks up an event's kind and purchase amount (in cents) by name; built once per mapping. */
export interface EventClassifier {
  kind(eventName: string): EventKind;
  /** Amount of a purchase in integer cents (0 when no listed property holds a finite number). */
  amountCents(eventName: string, properties: Readonly<Record<string, unknown>>): number;
}

/** Reads a finite amount from a number or numeric string; `undefined` otherwise. */
function amountOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Builds the classifier of a mapping (a Map lookup per event, no allocation). */
export function createEventClassifier(mapping: ProfileEventMapping): EventClassifier {
  const kinds = new Map<string, EventKind>();
  const amountProps = new Map<string, readonly string[]>();
  for (const name of mapping.signups) kinds.set(name, EventKind.Signup);
  for (const name of mapping.pageViews) kinds.set(name, EventKind.PageView);
  for (const p of mapping.purchases) {
    kinds.set(p.eventName, EventKind.Purchase);
    amountProps.set(p.eventName, p.amountProperties);
  }
  return {
    kind: (eventName) => kinds.get(eventName) ?? EventKind.Other,
    amountCents(eventName, properties) {
      const props = amountProps.get(eventName);
      if (props === undefined) return 0;
      for (const prop of props) {
        const amount = amountOf(properties[prop]);
        if (amount !== undefined) return Math.round(amount * 100);
      }
      return 0;
    },
  };
}
