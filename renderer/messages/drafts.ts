/** Unsent text per conversation, kept while the app runs so switching conversations loses nothing. */
const drafts = new Map<string, string>();

export function loadDraft(conversationId: string): string {
  return drafts.get(conversationId) ?? '';
}

export function saveDraft(conversationId: string, text: string): void {
  if (text) drafts.set(conversationId, text);
  else drafts.delete(conversationId);
}
