import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { SourceName } from '../../../services/collector/collector-config';

/**
 * The write-keys secret as the stacks describe it: `{"<writeKey>": {"source": "<source name>"}}`
 * (a bare `{"<writeKey>": "<source>"}` is read too).
 */
export const WriteKeysSecret = z
  .record(z.string().min(1).max(256), z.union([SourceName, z.object({ source: SourceName })]))
  .refine((keys) => Object.keys(keys).length > 0, 'at least one write key is needed');
export type WriteKeysSecret = z.infer<typeof WriteKeysSecret>;

/** The read-keys secret: `{"<readKey>": {"name": "<consumer>"}}`; the Profile API serves one read key. */
export const ReadKeysSecret = z
  .record(z.string().min(16).max(512), z.object({ name: z.string().min(1) }).or(z.string()))
  .refine((keys) => Object.keys(keys).length === 1, 'exactly one read key is supported for now');
export type ReadKeysSecret = z.infer<typeof ReadKeysSecret>;

/** A secret was missing, unreadable or not in its documented shape (its value is never quoted). */
export class SecretFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretFormatError';
  }
}

function parseJson(text: string, secretName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SecretFormatError(`secret ${secretName} is not JSON`, { cause: error });
  }
}

/** Write key → source name, from the secret's text. */
export function parseWriteKeysSecret(text: string, secretName: string): Record<string, string> {
  const raw = parseJson(text, secretName);
  const parsed = WriteKeysSecret.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // the path of a record issue starts with a write key: name its position, never the key itself
    const key = issue?.path[0];
    const index =
      typeof key === 'string' && typeof raw === 'object' && raw !== null ? Object.keys(raw).indexOf(key) : -1;
    const where = index >= 0 ? `entry ${index + 1}: ` : '';
    throw new SecretFormatError(`secret ${secretName}: ${where}${issue?.message ?? 'invalid'}`);
  }
  return Object.fromEntries(
    Object.entries(parsed.data).map(([key, v]) => [key, typeof v === 'string' ? v : v.source]),
  );
}

/** The one read key, from the secret's text. */
export function parseReadKeysSecret(text: string, secretName: string): string {
  const parsed = ReadKeysSecret.safeParse(parseJson(text, secretName));
  if (!parsed.success) {
    throw new SecretFormatError(
      `secret ${secretName}: ${parsed.error.issues[0]?.message ?? 'invalid'} (keys are at least 16 characters)`,
    );
  }
  return Object.keys(parsed.data)[0] as string;
}

/** The text of a Secrets Manager secret (by name or ARN). */
export async function readSecretText(
  secrets: Pick<SecretsManagerClient, 'send'>,
  secretName: string,
): Promise<string> {
  const res = await secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
  if (res.SecretString === undefined) {
    throw new SecretFormatError(`secret ${secretName} has no string value`);
  }
  return res.SecretString;
}
