import { z } from 'zod';
import { IdentityConfig } from '../identity';
import { ProfileConfig } from '../profiles';

/** Settings of the profile pipeline; every field has a default. */
export const PipelineConfig = z.object({
  /** Names the job (and its checkpoints). */
  jobName: z.string().min(1).default('profiles'),
  /** Watermark bound: an event this much older than the newest one of its shard is still on time. */
  outOfOrdernessMs: z.number().int().nonnegative().default(60_000),
  /** A shard with no record for this much processing time stops holding the watermark back. */
  idlenessMs: z.number().int().positive().optional(),
  /** Records per poll of a shard. */
  maxBatchSize: z.number().int().positive().default(1000),
  /** Profile writes per store transaction (DynamoDB: at most 100). */
  maxWritesPerTransaction: z.number().int().min(2).max(100).default(100),
  profiles: ProfileConfig.default(ProfileConfig.parse({})),
  identity: IdentityConfig.default(IdentityConfig.parse({})),
});
export type PipelineConfig = z.infer<typeof PipelineConfig>;

/** Input form: every field optional. */
export type PipelineConfigInput = z.input<typeof PipelineConfig>;
