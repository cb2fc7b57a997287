import { isBlank } from '../protocol';

/**
 * A message's text for one-line previews (the conversation list): the text, or for a message of files alone
 * what it carries ("📎 Beach.png", "📎 3 files"), so it is never an empty line.
 */
export function previewText(text: string, attachments: readonly { name: string }[] | undefined): string {
  if (!isBlank(text) || !attachments || attachments.length === 0) return text;
  return attachments.length === 1 ? `📎 ${attachments[0]!.name}` : `📎 ${attachments.length} files`;
}
