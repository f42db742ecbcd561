import type { SegmentEvent } from '../../contracts/segment-event';
import {
  AREA_CODES,
  CAMPAIGNS,
  CATEGORIES,
  CONTENT_PAGES,
  FIRST_NAMES,
  LAST_NAMES,
  PRODUCTS,
  type Product,
  REFERRERS,
  SITE,
  WEB_USER_AGENTS,
} from './catalog';
import type { JourneyOptions } from './journey-options';
import { createRandom, mixSeed, type Random } from './random';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Who a simulated customer is; decides how their journey goes. */
export type Persona = 'browser' | 'subscriber' | 'engaged' | 'buyer' | 'loyal' | 'churned';

const PERSONAS: readonly [Persona, number][] = [
  ['browser', 0.4],
  ['subscriber', 0.12],
  ['engaged', 0.06],
  ['buyer', 0.24],
  ['loyal', 0.08],
  ['churned', 0.1],
];

/** Sessions after signup, mean days between them, and the chance a session ends in an order. */
const LATER: Record<
  Exclude<Persona, 'browser'>,
  { sessions: [number, number]; gapDays: number; buy: number }
> = {
  subscriber: { sessions: [0, 4], gapDays: 8, buy: 0 },
  engaged: { sessions: [8, 14], gapDays: 0.7, buy: 0 },
  buyer: { sessions: [1, 6], gapDays: 7, buy: 0.45 },
  loyal: { sessions: [10, 24], gapDays: 3, buy: 0.6 },
  churned: { sessions: [1, 4], gapDays: 5, buy: 0.5 },
};

function hex(value: number, digits: number): string {
  return Math.floor(value).toString(16).padStart(digits, '0').slice(-digits);
}

/** The parts of `structuredId` that do not change within one customer and kind. */
function idParts(seedTag: number, kind: number, index: number): { head: string; tail: string; kind: number } {
  return {
    head: `${hex(seedTag, 8)}-`,
    tail: `-${hex(0x8000 | ((seedTag >>> 20) & 0xfff), 4)}-${hex(index, 12)}`,
    kind: (kind & 0xf) << 12,
  };
}

/**
 * A UUID-shaped id that is unique by construction: the seed's tag, a kind (message or device), a
 * per-customer sequence number and the customer index (random ids from a 32-bit generator would
 * collide across 10 million events, and a collision is a false duplicate).
 */
export function structuredId(seedTag: number, kind: number, index: number, sequence: number): string {
  return idWith(idParts(seedTag, kind, index), sequence);
}

function idWith(parts: { head: string; tail: string; kind: number }, sequence: number): string {
  return `${parts.head}${hex(parts.kind | ((sequence / 4096) & 0xfff), 4)}-4${hex(sequence & 0xfff, 3)}${parts.tail}`;
}

interface Device {
  readonly anonymousId: string;
  readonly kind: 'web' | 'ios';
  readonly userAgent: string;
}

interface Person {
  readonly userId: string;
  readonly email: string;
  readonly phone?: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly plan: 'free' | 'pro';
}

/** What one customer's journey is made from; the rest comes from its own random source. */
export interface CustomerPlan {
  readonly index: number;
  readonly arrivalMs: number;
  readonly options: JourneyOptions;
  readonly seedTag: number;
}

function pickPersona(random: Random, arrivalMs: number, endMs: number): Persona {
  let roll = random.next();
  let persona: Persona = 'browser';
  for (const [name, weight] of PERSONAS) {
    if (roll < weight) {
      persona = name;
      break;
    }
    roll -= weight;
  }
  // Churn needs history: someone who arrived last week cannot have been away for a month.
  return persona === 'churned' && arrivalMs > endMs - 40 * DAY ? 'buyer' : persona;
}

/** The event time of the call a journey yielded last (read by the interleaver, saves parsing it back). */
export interface JourneyClock {
  time: number;
}

const WEB_LIBRARY = { name: 'analytics.js', version: 'next-1.70.0' };
const MOBILE_LIBRARY = { name: 'analytics-swift', version: '1.5.11' };
const MOBILE_APP = { name: 'Tributary Outdoor', version: '4.2.0', build: '420' };
const MOBILE_OS = { name: 'iOS', version: '17.4' };

/** One customer's state while their journey is generated (methods shared, so many can be in flight). */
class Journey {
  readonly persona: Persona;
  readonly seedStyle: boolean;
  /** A session lasts well under two hours, so one that starts before this ends before the cutoff. */
  readonly lastSessionStart: number;
  readonly campaign: (typeof CAMPAIGNS)[number] | undefined;
  readonly web: Device;
  readonly messageIds: { head: string; tail: string; kind: number };
  sequence = 0;
  person: Person | undefined;

  constructor(
    readonly plan: CustomerPlan,
    readonly random: Random,
    readonly clock: JourneyClock,
  ) {
    const { index, options, seedTag } = plan;
    this.persona = pickPersona(random, plan.arrivalMs, options.endMs);
    this.seedStyle = options.eventStyle === 'seed' || (options.eventStyle === 'mixed' && random.chance(0.3));
    // Churned customers stop 35 to 75 days before the end, and at least 3 days after they arrived.
    const awayDays = Math.min(75, Math.floor((options.endMs - plan.arrivalMs) / DAY) - 3);
    const cutoff =
      this.persona === 'churned' ? options.endMs - random.int(35, awayDays) * DAY : options.endMs - SECOND;
    this.lastSessionStart = cutoff - 2 * HOUR;
    this.campaign = random.chance(0.35) ? random.pick(CAMPAIGNS) : undefined;
    this.web = {
      anonymousId: structuredId(seedTag, 2, index, 0),
      kind: 'web',
      userAgent: random.pick(WEB_USER_AGENTS),
    };
    this.messageIds = idParts(seedTag, 1, index);
    clock.time = plan.arrivalMs;
  }

  step(minSeconds: number, maxSeconds: number): void {
    this.clock.time += this.random.int(minSeconds, maxSeconds) * SECOND;
  }

  stamp(device: Device, stamped: Record<string, unknown>): SegmentEvent {
    this.sequence += 1;
    stamped.messageId = idWith(this.messageIds, this.sequence);
    stamped.anonymousId = device.anonymousId;
    if (this.person !== undefined) stamped.userId = this.person.userId;
    stamped.timestamp = new Date(this.clock.time).toISOString();
    return stamped as SegmentEvent;
  }

  context(device: Device, path: string, title: string, landing: boolean): Record<string, unknown> {
    if (device.kind === 'ios') {
      return {
        library: MOBILE_LIBRARY,
        locale: 'en-US',
        app: MOBILE_APP,
        device: { type: 'ios', model: 'iPhone15,2', manufacturer: 'Apple', id: device.anonymousId },
        os: MOBILE_OS,
      };
    }
    const page = { path, url: SITE + path, title, referrer: landing ? '' : this.random.pick(REFERRERS) };
    return landing && this.campaign !== undefined
      ? { library: WEB_LIBRARY, locale: 'en-US', userAgent: device.userAgent, page, campaign: this.campaign }
      : { library: WEB_LIBRARY, locale: 'en-US', userAgent: device.userAgent, page };
  }

  view(
    device: Device,
    name: string,
    path: string,
    title: string,
    extra?: Record<string, unknown>,
    landing = false,
  ) {
    const context = this.context(device, path, title, landing);
    return device.kind === 'web'
      ? this.stamp(device, {
          type: 'page',
          name,
          properties:
            extra === undefined
              ? { path, url: SITE + path, title }
              : { path, url: SITE + path, title, ...extra },
          context,
        })
      : this.stamp(device, {
          type: 'screen',
          name,
          properties: extra === undefined ? {} : { ...extra },
          context,
        });
  }

  track(
    device: Device,
    event: string,
    properties: Record<string, unknown>,
    extraContext?: Record<string, unknown>,
  ) {
    const context = this.context(device, '/', 'Tributary Outdoor', false);
    return this.stamp(device, {
      type: 'track',
      event,
      properties,
      context: extraContext === undefined ? context : { ...context, ...extraContext },
    });
  }

  *browse(device: Device, landing: boolean, pages: number): Generator<SegmentEvent> {
    const random = this.random;
    for (let i = 0; i < pages; i += 1) {
      const first = landing && i === 0;
      const roll = random.next();
      if (roll < 0.3) {
        const page = random.pick(CONTENT_PAGES);
        yield this.view(device, page.name, page.path, page.title, undefined, first);
      } else if (roll < 0.55) {
        const category = random.pick(CATEGORIES);
        yield this.view(device, 'Category', `/c/${category}`, `Shop ${category}`, { category }, first);
      } else {
        const product = random.pick(PRODUCTS);
        yield this.view(
          device,
          'Product',
          `/p/${product.id}`,
          product.name,
          { product_id: product.id },
          first,
        );
        if (random.chance(0.5)) {
          this.step(1, 5);
          yield this.track(device, 'Product Viewed', productProperties(product));
        }
      }
      this.step(10, 150);
    }
  }

  *order(device: Device): Generator<SegmentEvent> {
    const random = this.random;
    const lines = Array.from({ length: random.int(1, this.persona === 'loyal' ? 4 : 3) }, () => ({
      product: random.pick(PRODUCTS),
      quantity: random.int(1, 2),
    }));
    for (const { product, quantity } of lines) {
      yield this.view(device, 'Product', `/p/${product.id}`, product.name, { product_id: product.id });
      this.step(20, 120);
      yield this.track(device, 'Product Added', { ...productProperties(product), quantity });
      this.step(5, 60);
    }
    yield this.view(device, 'Cart', '/cart', 'Your cart');
    this.step(20, 90);
    const revenue = cents(lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0));
    const shipping = revenue >= 100 ? 0 : 4.95;
    const tax = cents(revenue * 0.08);
    const total = cents(revenue + shipping + tax);
    const orderId = `o-${hex(this.plan.index, 8)}-${this.sequence}`;
    yield this.track(device, 'Checkout Started', { order_id: orderId, value: revenue, currency: 'USD' });
    this.step(60, 300);
    yield this.seedStyle
      ? this.track(device, 'purchase', { amount: total, orderId, currency: 'USD', items: lines.length })
      : this.track(device, 'Order Completed', {
          order_id: orderId,
          total,
          revenue,
          shipping,
          tax,
          currency: 'USD',
          products: lines.map(({ product, quantity }) => ({ ...productProperties(product), quantity })),
        });
  }

  *signup(): Generator<SegmentEvent> {
    const { random, web, plan } = this;
    yield this.view(web, 'Sign Up', '/signup', 'Create your account');
    this.step(30, 180);
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const address = `${firstName}.${lastName}${plan.index}@example.com`;
    const phone = random.chance(0.3)
      ? `+1 ${random.pick(AREA_CODES)} ${random.int(200, 999)} ${String(random.int(0, 9999)).padStart(4, '0')}`
      : undefined;
    const person: Person = {
      userId: `u-${hex(plan.seedTag, 8)}-${plan.index}`,
      email: random.chance(0.1) ? address.replace('example.com', 'Example.COM') : address.toLowerCase(),
      ...(phone === undefined ? {} : { phone }),
      firstName,
      lastName,
      plan: random.chance(0.2) ? 'pro' : 'free',
    };
    this.person = person;
    const method = random.pick(SIGNUP_METHODS);
    yield this.stamp(web, {
      type: 'identify',
      traits: {
        email: person.email,
        ...(phone === undefined ? {} : { phone }),
        firstName,
        lastName,
        plan: person.plan,
        createdAt: new Date(this.clock.time).toISOString(),
      },
      context: this.context(web, '/signup', 'Create your account', false),
    });
    this.step(1, 3);
    yield this.track(
      web,
      this.seedStyle ? 'signup' : 'Signed Up',
      { method, plan: person.plan },
      this.campaign === undefined
        ? { traits: { email: person.email } }
        : { traits: { email: person.email }, campaign: this.campaign },
    );
  }

  *run(): Generator<SegmentEvent> {
    const { random, persona, web, plan, clock } = this;
    // 1. Anonymous browsing on the web.
    const anonymousSessions = persona === 'browser' ? random.int(1, 3) : random.int(1, 2);
    for (let s = 0; s < anonymousSessions; s += 1) {
      if (s > 0) clock.time += Math.max(HOUR, random.exponential((persona === 'browser' ? 6 : 3) * DAY));
      if (clock.time >= this.lastSessionStart) return; // also: arrived too close to the end
      yield* this.browse(web, s === 0, random.int(1, 7));
    }
    if (persona === 'browser') return;

    // 2. Signup on the web: identify with e-mail (and a phone for some), then the signup event.
    clock.time += random.chance(0.5)
      ? random.int(30, 600) * SECOND
      : Math.max(HOUR, random.exponential(2 * DAY));
    if (clock.time >= this.lastSessionStart) return;
    yield* this.signup();

    // 3. Later visits, logged in: on the web, or on a second device (a phone, or a shared tablet).
    const later = LATER[persona];
    const sessions = random.int(later.sessions[0], later.sessions[1]);
    const needsOrder = persona === 'buyer' || persona === 'loyal' || persona === 'churned';
    const phoneFrom = random.chance(0.5)
      ? random.int(0, Math.max(0, sessions - 1))
      : Number.POSITIVE_INFINITY;
    // Customers 2h and 2h + 1 form household h; a household may share its tablet (both log in on it).
    const household = Math.floor(plan.index / 2);
    const shared = createRandom(mixSeed(plan.seedTag, 0x5a4e, household)).chance(plan.options.sharedDevices);
    const phone: Device = {
      anonymousId: shared
        ? structuredId(plan.seedTag, 4, household, 0)
        : structuredId(plan.seedTag, 2, plan.index, 1),
      kind: 'ios',
      userAgent: 'Tributary/4.2.0 (iPhone; iOS 17.4)',
    };
    let ordered = false;
    for (let s = 0; s < sessions; s += 1) {
      clock.time += Math.max(10 * 60 * SECOND, random.exponential(later.gapDays * DAY));
      if (clock.time >= this.lastSessionStart) return;
      const onPhone = s >= phoneFrom && random.chance(0.7);
      const device = onPhone ? phone : web;
      if (onPhone && (s === phoneFrom || random.chance(0.2))) {
        yield this.track(phone, 'Signed In', { method: 'password' });
        this.step(2, 20);
      }
      yield* this.browse(device, false, persona === 'engaged' ? random.int(3, 8) : random.int(1, 5));
      const lastChance = s === sessions - 1 && needsOrder && !ordered;
      if (random.chance(later.buy) || lastChance) {
        yield* this.order(device);
        ordered = true;
      }
    }
  }
}

const SIGNUP_METHODS = ['email', 'email', 'google', 'apple'] as const;

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function productProperties(product: Product) {
  return {
    product_id: product.id,
    sku: product.sku,
    name: product.name,
    category: product.category,
    price: product.price,
    currency: 'USD',
  };
}

/**
 * One customer's calls, in event-time order: anonymous browsing (with a campaign sometimes), then,
 * depending on the persona, a signup (identify with e-mail and maybe phone, `Signed Up` / `signup`),
 * later visits logged in on the web or on a phone (`Signed In` with a second anonymous id), and orders
 * (`Order Completed` with `revenue`, or `purchase` with `amount`). Churned customers stop 35 to 75 days
 * before `endMs`; no call reaches `endMs`. `clock.time` is the event time of the call yielded last.
 * Shared sub-objects (`context.library`, ...) are reused between calls: treat calls as read-only.
 */
export function customerJourney(
  plan: CustomerPlan,
  random: Random,
  clock: JourneyClock = { time: 0 },
): Generator<SegmentEvent> {
  return new Journey(plan, random, clock).run();
}
