import { z } from 'zod';
import { FUNCTION_ENV } from '../../../contracts/aws-resources';

/** The settings every function may read, keyed like `FUNCTION_ENV` (values are resource names). */
export type LambdaSetting = keyof typeof FUNCTION_ENV;

/** A function's environment was missing a setting it needs or had an empty one. */
export class LambdaEnvError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LambdaEnvError';
  }
}

/**
 * Reads the named settings from an environment (the entry file passes `process.env`, once). Throws a
 * `LambdaEnvError` naming every missing variable.
 */
export function readLambdaEnv<K extends LambdaSetting>(
  env: Readonly<Record<string, string | undefined>>,
  settings: readonly K[],
): Readonly<Record<K, string>> {
  const schema = z.object(
    Object.fromEntries(settings.map((s) => [FUNCTION_ENV[s], z.string().trim().min(1)])) as Record<
      string,
      z.ZodString
    >,
  );
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].sort();
    throw new LambdaEnvError(`missing or empty environment variable(s): ${names.join(', ')}`, {
      cause: parsed.error,
    });
  }
  return Object.fromEntries(settings.map((s) => [s, parsed.data[FUNCTION_ENV[s]] as string])) as Record<
    K,
    string
  >;
}
