import { z } from 'zod';

/** Settings of the Profile API. */
export const ProfileApiConfig = z.object({
  /** The read key clients send as `Authorization: Bearer <key>`. */
  readKey: z.string().min(16, 'must be at least 16 characters').max(512),
  /** Timeline entries in `GET /v1/profiles/:id` (`recentActivity`, newest first). */
  recentActivityLimit: z.number().int().min(0).max(1000).default(50),
  /** Largest `limit` a paged route accepts. */
  maxPageSize: z.number().int().min(1).max(10_000).default(1000),
  /** Page size when `limit` is not given. */
  defaultPageSize: z.number().int().min(1).max(10_000).default(50),
  /** Country read for lookups of phone numbers without a `+` prefix (as the collector does). */
  defaultPhoneCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')
    .optional(),
  /** Serve Swagger UI at `/profile-api/docs` (the document is always at `/profile-api/openapi.json`). */
  docs: z.boolean().default(true),
});
export type ProfileApiConfig = z.infer<typeof ProfileApiConfig>;

/** Input form of the config: defaults filled by `ProfileApiConfig.parse`. */
export type ProfileApiConfigInput = z.input<typeof ProfileApiConfig>;

/** The Profile API's configuration is invalid. */
export class ProfileApiConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProfileApiConfigError';
  }
}

/** Parses a config, or throws `ProfileApiConfigError` naming every bad field. */
export function parseProfileApiConfig(input: ProfileApiConfigInput): ProfileApiConfig {
  const parsed = ProfileApiConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new ProfileApiConfigError(`invalid Profile API configuration: ${detail}`, { cause: parsed.error });
}
