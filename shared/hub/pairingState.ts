import { z } from 'zod';

/** Which secret a failed pairing attempt carried. */
export const PairingSecretKindSchema = z.enum(['code', 'linkCode', 'joinToken']);
export type PairingSecretKind = z.infer<typeof PairingSecretKindSchema>;

/**
 * Failed pairing attempts from one address, of one kind and outcome, gathered: `wrong` (a wrong,
 * used or expired secret, counted towards the limits), `closed` (a code while pairing was closed),
 * `refused` (not looked at: the address locked out, its network over budget, the hub's ceiling reached,
 * or the table of guessers full).
 */
export const PairingFailureSchema = z.object({
  address: z.string(),
  kind: PairingSecretKindSchema,
  outcome: z.enum(['wrong', 'closed', 'refused']),
  count: z.int().min(1),
  /** When the newest of them happened. */
  lastAt: z.int(),
});
export type PairingFailure = z.infer<typeof PairingFailureSchema>;

const common = {
  /** Wrong codes (pairing and link codes) checked in this window; codes are refused once it reaches the ceiling. */
  wrongGuesses: z.int().min(0),
  maxWrongGuesses: z.int().min(1),
  /** Every failed attempt since the hub started (for "n new since"). */
  failedAttempts: z.int().min(0),
  /** The most recent failed attempts, newest first. */
  recentFailures: z.array(PairingFailureSchema),
};

/**
 * Whether the hub accepts codes now, as the hub reports it to the process that runs it
 * (Hub.pairingState): the CLI prints it and the desktop app's This hub screen shows it.
 * The code exists only while pairing is open. Join links work either way.
 */
export const PairingStateSchema = z.discriminatedUnion('open', [
  z.object({ open: z.literal(false), ...common }),
  z.object({
    open: z.literal(true),
    /** The 6-digit code; replaced after each use, and by each new window. */
    code: z.string().regex(/^\d{6}$/),
    /** When pairing closes by itself (the code dies with it). */
    closesAt: z.int(),
    ...common,
  }),
]);
export type PairingState = z.infer<typeof PairingStateSchema>;
