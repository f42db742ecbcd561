import { z } from 'zod';
import { issuesFromZod, type ValidationIssue } from '../../contracts/validation-issue';

const Fraction = z.number().min(0).max(1);

/** Settings of the journey generator; the same settings always give the same calls. */
export const JourneyOptions = z
  .strictObject({
    /** Seed of every random choice; a different seed gives different people (different ids). */
    seed: z.int().min(0).max(0xffff_ffff).default(1),
    /** Epoch ms that no generated event reaches (usually "now", passed in by the caller). */
    endMs: z.int().positive(),
    /** Customers first show up within this many days before `endMs`. */
    spanDays: z.int().min(1).max(3650).default(90),
    /** How many people to simulate; derived from `count` when left out. */
    customers: z.int().positive().optional(),
    /** Most calls to produce (duplicates included); all journeys of `customers` when left out. */
    count: z.int().positive().optional(),
    /**
     * Purchase and signup events as Segment's spec names them (`Order Completed` with `revenue`,
     * `Signed Up`), as the design notes do (`purchase` with `amount`, `signup`), or a mix by customer.
     */
    eventStyle: z.enum(['segment', 'seed', 'mixed']).default('mixed'),
    /** Share of calls sent a second time (same `messageId`), a little later. */
    duplicates: Fraction.default(0),
    /** Share of calls that arrive late, after up to `maxDelayCalls` calls that happened after them. */
    outOfOrder: Fraction.default(0),
    maxDelayCalls: z.int().min(1).max(1_000_000).default(500),
    /** Share of households (customers 2h and 2h + 1) whose second device is one shared tablet. */
    sharedDevices: Fraction.default(0),
  })
  .refine((o) => o.customers !== undefined || o.count !== undefined, {
    error: 'give customers, count, or both',
    path: ['count'],
  });
export type JourneyOptions = z.infer<typeof JourneyOptions>;
export type JourneyOptionsInput = z.input<typeof JourneyOptions>;

/** Validates generator settings into a result (never throws). */
export function parseJourneyOptions(
  input: unknown,
): { ok: true; value: JourneyOptions } | { ok: false; reason: string; issues: ValidationIssue[] } {
  const parsed = JourneyOptions.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = issuesFromZod(parsed.error);
  return {
    ok: false,
    reason: issues.map((i) => `${i.path || '(options)'}: ${i.message}`).join('; '),
    issues,
  };
}
