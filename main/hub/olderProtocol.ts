import { attachmentFallbackLine, type MessageWire, type ServerFrame } from '../../shared/protocol';

/** The protocol that first carried files on messages (appendix F.6). */
export const FILES_PROTOCOL = 3;

/**
 * A frame as a protocol-2 client reads it: messages keep their text, with one line per file appended
 * (`📎 name (size)`), and carry no `attachments`. The same frame when nothing in it has files.
 */
export function forProtocol2(frame: ServerFrame): ServerFrame {
  if (frame.type === 'message') {
    const message = withoutFiles(frame.message);
    return message === frame.message ? frame : { ...frame, message };
  }
  if (frame.type !== 'messages' || !frame.messages.some((m) => m.attachments)) return frame;
  return { ...frame, messages: frame.messages.map(withoutFiles) };
}

/** Whether the frame reads differently for a protocol-2 client. */
export function hasFiles(frame: ServerFrame): boolean {
  if (frame.type === 'message') return frame.message.attachments !== undefined;
  return frame.type === 'messages' && frame.messages.some((m) => m.attachments);
}

function withoutFiles(message: MessageWire): MessageWire {
  if (!message.attachments) return message;
  const { attachments, ...rest } = message;
  const lines = attachments.map(attachmentFallbackLine);
  return { ...rest, text: [message.text, ...lines].filter((line) => line !== '').join('\n') };
}
