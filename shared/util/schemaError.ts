import type { z } from 'zod';

export type SchemaErrorWording = {
  /** What an issue about the whole value is about, e.g. `the file`; default `(root)`. */
  root?: string;
  /** How an issue's place is named, given its dotted path (`users.0.name`); default the path itself. */
  place?: (path: string) => string;
  /** How many issues are described at most; the first ones, which are the ones a reader fixes first. */
  maxIssues?: number;
};

/**
 * A zod failure as one line a person can act on (STYLE.md 11): where each
 * issue is and what is wrong there, `users.0.id: Invalid string: must match ...`,
 * the first three joined with `; `. Callers put it in their own sentence,
 * which says what was being read.
 */
export function describeSchemaError(error: z.ZodError, wording: SchemaErrorWording = {}): string {
  const { root = '(root)', place = (path) => path, maxIssues = 3 } = wording;
  const described = error.issues.slice(0, maxIssues).map((issue) => {
    // A path may hold symbols, which `join` cannot turn into text.
    const path = issue.path.map(String).join('.');
    return `${path ? place(path) : root}: ${issue.message}`;
  });
  return described.length > 0 ? described.join('; ') : 'invalid';
}
