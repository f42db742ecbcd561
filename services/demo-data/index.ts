export { type CanonicalJourneyOptions, canonicalJourneys } from './canonical-journeys';
export { type CustomerPlan, customerJourney, type Persona, structuredId } from './customer-journey';
export { AVERAGE_CALLS_PER_CUSTOMER, customerCount, generateJourneys } from './journey-generator';
export { JourneyOptions, type JourneyOptionsInput, parseJourneyOptions } from './journey-options';
export { createRandom, mixSeed, type Random } from './random';
