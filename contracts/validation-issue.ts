import { z } from 'zod';

/** One reason an input was refused (or a value ignored): where, as a JS-style path, and why. */
export const ValidationIssue = z.object({
  path: z.string().meta({ description: 'Where in the event, e.g. `context.traits.email` or `batch[3]`' }),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats a path as `a.b[0]["odd key"]`; the empty path is the event itself (``). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      if (IDENTIFIER.test(name)) out += out.length === 0 ? name : `.${name}`;
      else out += `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

/** Joins a prefix path and a relative one (`batch[2]` + `traits.email`). */
export function joinPath(prefix: string, rest: string): string {
  if (prefix.length === 0) return rest;
  if (rest.length === 0) return prefix;
  return rest.startsWith('[') ? prefix + rest : `${prefix}.${rest}`;
}

/** The issues of a failed zod parse, one per problem, with formatted paths. */
export function issuesFromZod(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
