/**
 * For contract tests of pinned packages (DECISIONS 38): `assumption(name, check)` runs `check`,
 * and any failure, or no result within the deadline, is rethrown as `<hint>. Broken assumption:
 * <name>.` so an upgrade that breaks one says which, and where to look.
 */
export function contractAssumptions(hint: string) {
  return async function assumption(name: string, check: () => void | Promise<void>, timeoutMs = 5_000) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(check), deadline]);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`${hint}. Broken assumption: ${name}.\n${why}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  };
}
