import { useState, type FormEvent } from 'react';
import type { PairCredential } from '../../shared/protocol';
import { ErrorCode } from '../../shared/protocol';
import { RoostError, type DeviceDescription, type UnpairedReason } from '../../shared/sync';
import { useClient } from '../app/useClient';
import { useRoost } from '../app/useRoost';
import { ConnectionStatus } from '../chat/ConnectionStatus';
import { FormError } from '../ui/FormError';
import { TextField } from '../ui/TextField';
import { OnboardingPage } from './OnboardingPage';
import { nameProblem, pairingErrorMessage, unpairedNotice } from './pairingMessages';

type Mode = 'code' | 'linkCode' | 'joinToken';

type Props = {
  reason: UnpairedReason;
  /** From a join link, or the desktop app's owner ticket: pair with it, asking only for a name. */
  joinToken: string | undefined;
  /** Where the join token came from: a link someone shared, or this computer hosting the hub. */
  invitation?: 'link' | 'owner';
  /** The join link this page was opened with is no good (already used, expired): why, for the person. */
  joinLinkProblem?: string;
  /** The join token was used (whatever the outcome): forget it. */
  onJoinTokenUsed: () => void;
  device: DeviceDescription;
  /** Offered when the hub address was chosen here, not given by the page. */
  onChangeHub: (() => void) | undefined;
};

/**
 * First run: a new person joins with the hub's pairing code (or a join link)
 * and their name; someone who already uses Roost links this device with a
 * link code from one of their other devices.
 */
export function PairingScreen({
  reason,
  joinToken,
  invitation = 'link',
  joinLinkProblem,
  onJoinTokenUsed,
  device,
  onChangeHub,
}: Props) {
  const client = useClient();
  const hubName = useRoost((s) => s.hub?.name);
  const connected = useRoost((s) => s.status === 'connected');
  const [mode, setMode] = useState<Mode>(joinToken ? 'joinToken' : 'code');
  const [displayName, setDisplayName] = useState('');
  const [code, setCode] = useState('');
  const [linkCode, setLinkCode] = useState('');
  const [deviceName, setDeviceName] = useState(device.name);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const notice = unpairedNotice(reason);
  const owner = mode === 'joinToken' && invitation === 'owner';

  // Props that change later update the form in the same render (React's "adjust state when a prop changes").
  // A token that arrives later (the desktop app's owner ticket) or a fresh one after a spent one:
  const [seenToken, setSeenToken] = useState(joinToken);
  if (joinToken !== seenToken) {
    setSeenToken(joinToken);
    if (joinToken) setMode('joinToken');
  }
  // The desktop shell names the computer asynchronously:
  const [seenDeviceName, setSeenDeviceName] = useState(device.name);
  if (device.name !== seenDeviceName) {
    setSeenDeviceName(device.name);
    setDeviceName(device.name);
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problem = validate();
    if (problem) return setError(problem);
    const credential: PairCredential =
      mode === 'code'
        ? { kind: 'code', code: code.trim(), displayName: displayName.trim() }
        : mode === 'joinToken'
          ? { kind: 'joinToken', token: joinToken ?? '', displayName: displayName.trim() }
          : { kind: 'linkCode', code: linkCode.trim() };
    setBusy(true);
    setError(undefined);
    try {
      await client.pair(credential, { name: deviceName.trim(), platform: device.platform });
      if (mode === 'joinToken') onJoinTokenUsed();
    } catch (err) {
      setError(pairingErrorMessage(err));
      // A join token is spent by any attempt (docs/PROTOCOL.md 6.3);
      // carry on with a pairing code (or a new owner ticket).
      if (mode === 'joinToken' && err instanceof RoostError && err.code === ErrorCode.JOIN_TOKEN_INVALID) {
        onJoinTokenUsed();
        setMode('code');
      }
    } finally {
      setBusy(false);
    }
  };

  const validate = (): string | undefined => {
    if (mode !== 'linkCode') {
      const p = nameProblem('your name', displayName);
      if (p) return p;
    }
    if (mode === 'code' && !code.trim()) return 'Enter the 6-digit pairing code shown by the hub.';
    if (mode === 'linkCode' && !linkCode.trim()) return 'Enter the link code from your other device.';
    return nameProblem('a name for this device', deviceName);
  };

  const title = owner
    ? `Welcome to ${hubName ?? 'your hub'}`
    : mode === 'linkCode'
      ? 'Link this device'
      : hubName
        ? `Join ${hubName}`
        : 'Join Roost';
  const submitLabel = busy
    ? mode === 'linkCode'
      ? 'Linking…'
      : 'Joining…'
    : owner
      ? 'Start chatting'
      : mode === 'linkCode'
        ? 'Link this device'
        : 'Join';
  const lead = owner
    ? 'Your hub runs on this computer. Tell the others who you are; then invite them from “This hub”.'
    : mode === 'joinToken'
      ? 'You were invited with a join link. Tell the others who you are.'
      : mode === 'linkCode'
        ? 'Use Roost here with the same account, messages and unread state as on your other devices.'
        : 'Chat with everyone on this network. Your messages stay on the hub, here at home.';

  const deviceField = (
    <TextField
      label="Device name"
      value={deviceName}
      onChange={setDeviceName}
      autoComplete="off"
      maxLength={64}
      hint="How this device appears in your list of devices."
    />
  );

  return (
    <OnboardingPage
      titleId="pairing-title"
      testId="pairing-screen"
      data={{ 'data-mode': mode, 'data-invitation': invitation }}
      below={
        !connected && (
          <p className="onboarding__below">
            Waiting for the hub. Make sure it is running and that this device is on the same network.
          </p>
        )
      }
    >
      {notice && (
        <p className="notice" role="status" data-testid="pairing-notice">
          {notice}
        </p>
      )}
      {joinLinkProblem && (
        <p className="notice" role="alert" data-testid="join-link-problem">
          {joinLinkProblem}
        </p>
      )}
      <div>
        <h1 id="pairing-title" className="onboarding__title">
          {title}
        </h1>
        <p className="onboarding__lead">{lead}</p>
      </div>

      {mode !== 'joinToken' && (
        <fieldset className="segmented">
          <legend className="sr-only">How do you want to start?</legend>
          <label className="segmented__option">
            <input
              type="radio"
              name="pairing-mode"
              checked={mode === 'code'}
              onChange={() => (setMode('code'), setError(undefined))}
            />
            I’m new here
          </label>
          <label className="segmented__option">
            <input
              type="radio"
              name="pairing-mode"
              checked={mode === 'linkCode'}
              onChange={() => (setMode('linkCode'), setError(undefined))}
            />
            I already use Roost
          </label>
        </fieldset>
      )}

      <form
        className="onboarding__form"
        onSubmit={(event) => void submit(event)}
        noValidate
        aria-describedby={error ? 'pairing-error' : undefined}
      >
        {mode !== 'linkCode' && (
          <TextField
            label="Your name"
            value={displayName}
            onChange={setDisplayName}
            autoComplete="nickname"
            maxLength={64}
            autoFocus
            placeholder="e.g. Ann"
          />
        )}
        {mode === 'code' && (
          <TextField
            label="Pairing code"
            code
            value={code}
            onChange={setCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            placeholder="123 456"
            maxLength={16}
            hint="The 6-digit code shown by the hub. Ask whoever runs it."
          />
        )}
        {mode === 'linkCode' && (
          <TextField
            label="Link code"
            code
            value={linkCode}
            onChange={setLinkCode}
            autoCapitalize="characters"
            autoComplete="one-time-code"
            spellCheck={false}
            autoFocus
            placeholder="K7QM-4XZP"
            maxLength={32}
            hint="On a device where you already use Roost, open Devices and choose “Add a device”."
          />
        )}
        {mode === 'joinToken' ? (
          <details className="details">
            <summary>This device: {deviceName.trim() || device.name}</summary>
            {deviceField}
          </details>
        ) : (
          deviceField
        )}

        <FormError id="pairing-error" testId="pairing-error" error={error} />

        <button
          type="submit"
          className="button button--primary button--block"
          disabled={busy || !connected}
          data-testid="pair-button"
        >
          {submitLabel}
        </button>
      </form>

      <div className="onboarding__footer">
        <ConnectionStatus />
        {mode === 'joinToken' && !owner && (
          <button type="button" className="link-button" onClick={() => (onJoinTokenUsed(), setMode('code'))}>
            Use a pairing code instead
          </button>
        )}
        {onChangeHub && (mode !== 'joinToken' || owner) && (
          <button type="button" className="link-button" onClick={onChangeHub} data-testid="change-hub">
            Use a different hub
          </button>
        )}
      </div>
    </OnboardingPage>
  );
}
