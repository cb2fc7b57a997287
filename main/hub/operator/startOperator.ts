import type { HubContext } from '../HubContext';
import { AUDIT_DEFAULTS, AuditLog, type AuditLogOptions } from './AuditLog';
import { auditFailedPairings, type FailedPairingAuditOptions } from './auditFailedPairings';
import { HubOperator } from './HubOperator';
import type { OperatorSocketOptions } from './operatorProtocol';
import { OperatorSocket } from './OperatorSocket';

export type OperatorOptions = {
  /** Listen on the operator socket (`<dataDir>/operator/operator.sock`, a named pipe on Windows). Default true. */
  socket?: boolean;
  /** Bounds of the socket (defaults: OPERATOR_SOCKET_DEFAULTS). */
  socketLimits?: OperatorSocketOptions;
  /** Size of the audit log (defaults: AUDIT_DEFAULTS). */
  audit?: AuditLogOptions;
  /** How failed pairings are gathered into the audit log (defaults: FAILED_PAIRING_AUDIT_DEFAULTS). */
  failedPairings?: FailedPairingAuditOptions;
};

export type OperatorControls = {
  readonly operator: HubOperator;
  /** Where the CLI reaches the hub, or undefined when the socket is off or could not be made. */
  readonly socketPath: string | undefined;
  /** Closes the socket and writes the failed pairings gathered so far. */
  stop(): Promise<void>;
};

/**
 * The owner's controls of a started hub: the operator API, its audit log (failed pairings included), and
 * the operator socket. A socket that cannot be made (a data directory path too long for one) is logged and
 * the hub runs without it: everything but the CLI's commands still works.
 */
export async function startOperator(
  ctx: HubContext,
  dataDir: string,
  options: OperatorOptions = {},
): Promise<OperatorControls> {
  const audit = new AuditLog(dataDir, ctx.logger, { ...AUDIT_DEFAULTS, ...options.audit });
  const operator = new HubOperator(ctx, audit);
  const failures = auditFailedPairings(
    ctx.gate.state(),
    () => ctx.gate.state(),
    (entry) => void audit.append(entry),
    ctx.now,
    options.failedPairings,
  );
  const unsubscribe = ctx.gate.onChange(failures.listener);
  let socket: OperatorSocket | undefined;
  if (options.socket ?? true) {
    try {
      socket = await OperatorSocket.start(dataDir, operator, ctx.logger, options.socketLimits);
    } catch (err) {
      ctx.logger.warn(`no operator socket, so no \`npm run hub -- <command>\`: ${(err as Error).message}`);
    }
  }
  return {
    operator,
    socketPath: socket?.path,
    stop: async () => {
      unsubscribe();
      failures.stop();
      await socket?.close();
      // What was gathered is in the file before the data directory is released.
      await audit.idle();
    },
  };
}
