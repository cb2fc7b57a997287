/** Codes are shown grouped ("123 456", "K7QM-4XZP"); people type them that way. */
export function stripSeparators(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** A link code as the hub made it: what people type, without separators and in upper case. */
export function normalizeLinkCode(input: string): string {
  return stripSeparators(input).toUpperCase();
}
