import { describeSchemaError } from '../../../shared/util/schemaError';
import type { HubOperator } from './HubOperator';
import {
  OPERATOR_COMMANDS,
  OperatorError,
  OperatorErrorCode,
  type OperatorCommand,
  type OperatorRequest,
} from './operatorProtocol';

/** Carries out one request from the operator socket, as the owner via the CLI; refusals throw OperatorError. */
export async function runOperatorCommand(operator: HubOperator, request: OperatorRequest): Promise<unknown> {
  if (!Object.hasOwn(OPERATOR_COMMANDS, request.command))
    throw new OperatorError(
      OperatorErrorCode.UNKNOWN_COMMAND,
      `Unknown command ${JSON.stringify(request.command.slice(0, 64))}; ` +
        `this hub knows ${Object.keys(OPERATOR_COMMANDS).join(', ')}.`,
    );
  const command = request.command as OperatorCommand;
  const parsed = OPERATOR_COMMANDS[command].args.safeParse(request.args);
  if (!parsed.success)
    throw new OperatorError(
      OperatorErrorCode.BAD_REQUEST,
      `${command}: ${describeSchemaError(parsed.error, { root: 'arguments' })}`,
    );
  const args = parsed.data as Record<string, unknown>;
  switch (command) {
    case 'users':
      return operator.users();
    case 'devices':
      return operator.devices();
    case 'remove-device':
      return operator.removeDevice(args.deviceId as string, 'cli');
    case 'remove-user':
      return operator.removeUser(args.userId as string, 'cli');
    case 'delete-message':
      return operator.deleteMessage(args.conversationId as string, args.seq as number, 'cli');
    case 'rename':
      return operator.renameHub(args.name as string, 'cli');
    case 'pairing':
      return operator.pairingState();
    case 'pairing-open':
      return operator.openPairing(args.minutes as number | undefined, 'cli');
    case 'pairing-close':
      return operator.closePairing('cli');
    case 'audit':
      return operator.readAudit((args.limit as number | undefined) ?? 50);
  }
}
