import type { HubContext } from '../HubContext';
import type { FileHttpDeps, FileMessage } from './fileRoutes';

/** The file endpoints' view of the hub: its registry for who may, its log for which message has which files. */
export function hubFileDeps(ctx: HubContext): FileHttpDeps {
  return {
    store: ctx.files,
    tickets: ctx.fileTickets,
    sessions: ctx.fileSessions,
    logger: ctx.logger,
    userOfDevice: (deviceId) => ctx.registry.device(deviceId)?.userId,
    isMember: (conversationId, userId) => {
      const conversation = ctx.registry.conversation(conversationId);
      return conversation !== undefined && ctx.registry.isMember(conversation, userId);
    },
    readMessage: async (conversationId, seq): Promise<FileMessage | undefined> => {
      if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
      const page = await ctx.log.readForward(conversationId, seq - 1, 1);
      const message = page.messages[0];
      if (message?.seq !== seq || message.deletes !== undefined) return undefined;
      return { deleted: message.deleted, attachments: message.attachments };
    },
  };
}
