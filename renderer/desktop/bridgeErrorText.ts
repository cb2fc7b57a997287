/**
 * A failed bridge call's reason for people. Electron passes only an error's message across IPC, prefixed
 * with where it came from, and main leads it with a stable code (`NOT_FOUND: No device...`): both go.
 */
export function bridgeErrorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^Error invoking remote method '[^']*': (?:Error: )?/, '').replace(/^[A-Z][A-Z_]+: /, '');
}
