import { useId, useState, type FormEvent } from 'react';
import type { PairCredential } from '../../shared/protocol';
import { ErrorCode } from '../../shared/protocol';
import { RoostError, type DeviceDescription, type UnpairedReason } from '../../shared/sync';
import { useClient } from '../app/useClient';
import { useRoost } from '../app/useRoost';
import { ConnectionStatus } from '../chat/ConnectionStatus';
import { Icon, Logo } from '../ui/Icon';
import { nameProblem, pairingErrorMessage, unpairedNotice } from './pairingMessages';
import './Onboarding.css';

type Mode = 'code' | 'linkCode' | 'joinToken';

type Props = {
  reason: UnpairedReason;
  /** From a join link: pair with it, asking only for a name. */
  joinToken: string | undefined;
  /** The join token was used (whatever the outcome): forget it. */
  onJoinTokenUsed(): void;
  device: DeviceDescription;
  /** Offered when the hub address was typed in, not given by the page. */
  onChangeHub: (() => void) | undefined;
};

/**
 * First run: a new person joins with the hub's pairing code (or a join link)
 * and their name; someone who already uses Roost links this device with a
 * link code from one of their other devices.
 */
export function PairingScreen({ reason, joinToken, onJoinTokenUsed, device, onChangeHub }: Props) {
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
  const ids = { name: useId(), code: useId(), link: useId(), device: useId(), deviceHint: useId(), codeHint: useId(), linkHint: useId() };
  const notice = unpairedNotice(reason);

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
      // A join token is spent by any attempt (docs/PROTOCOL.md 6.3); carry on with a pairing code.
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

  const title = mode === 'linkCode' ? 'Link this device' : hubName ? `Join ${hubName}` : 'Join Roost';
  const submitLabel = busy ? (mode === 'linkCode' ? 'Linking…' : 'Joining…') : mode === 'linkCode' ? 'Link this device' : 'Join';

  const deviceField = (
    <div className="field">
      <label className="field__label" htmlFor={ids.device}>
        Device name
      </label>
      <input
        id={ids.device}
        className="input"
        value={deviceName}
        onChange={(e) => setDeviceName(e.target.value)}
        autoComplete="off"
        maxLength={64}
        aria-describedby={ids.deviceHint}
      />
      <span id={ids.deviceHint} className="field__hint">
        How this device appears in your list of devices.
      </span>
    </div>
  );

  return (
    <main className="onboarding">
      <div className="onboarding__brand">
        <Logo size={32} />
        <span>Roost</span>
      </div>
      <section className="onboarding__card" aria-labelledby="pairing-title" data-testid="pairing-screen" data-mode={mode}>
        {notice && (
          <p className="notice" role="status" data-testid="pairing-notice">
            {notice}
          </p>
        )}
        <div>
          <h1 id="pairing-title" className="onboarding__title">
            {title}
          </h1>
          <p className="onboarding__lead">
            {mode === 'joinToken'
              ? 'You were invited with a join link. Tell the others who you are.'
              : mode === 'linkCode'
                ? 'Use Roost here with the same account, messages and unread state as on your other devices.'
                : 'Chat with everyone on this network. Your messages stay on the hub, here at home.'}
          </p>
        </div>

        {mode !== 'joinToken' && (
          <fieldset className="segmented">
            <legend className="sr-only">How do you want to start?</legend>
            <label className="segmented__option">
              <input type="radio" name="pairing-mode" checked={mode === 'code'} onChange={() => (setMode('code'), setError(undefined))} />
              I’m new here
            </label>
            <label className="segmented__option">
              <input type="radio" name="pairing-mode" checked={mode === 'linkCode'} onChange={() => (setMode('linkCode'), setError(undefined))} />
              I already use Roost
            </label>
          </fieldset>
        )}

        <form className="onboarding__form" onSubmit={submit} noValidate aria-describedby={error ? 'pairing-error' : undefined}>
          {mode !== 'linkCode' && (
            <div className="field">
              <label className="field__label" htmlFor={ids.name}>
                Your name
              </label>
              <input
                id={ids.name}
                className="input"
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
                autoComplete="nickname"
                maxLength={64}
                autoFocus
                placeholder="e.g. Ann"
              />
            </div>
          )}
          {mode === 'code' && (
            <div className="field">
              <label className="field__label" htmlFor={ids.code}>
                Pairing code
              </label>
              <input
                id={ids.code}
                className="input input--code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                placeholder="123 456"
                maxLength={16}
                aria-describedby={ids.codeHint}
              />
              <span id={ids.codeHint} className="field__hint">
                The 6-digit code shown by the hub. Ask whoever runs it.
              </span>
            </div>
          )}
          {mode === 'linkCode' && (
            <div className="field">
              <label className="field__label" htmlFor={ids.link}>
                Link code
              </label>
              <input
                id={ids.link}
                className="input input--code"
                value={linkCode}
                onChange={(e) => setLinkCode(e.target.value)}
                autoCapitalize="characters"
                autoComplete="one-time-code"
                spellCheck={false}
                autoFocus
                placeholder="K7QM-4XZP"
                maxLength={32}
                aria-describedby={ids.linkHint}
              />
              <span id={ids.linkHint} className="field__hint">
                On a device where you already use Roost, open Devices and choose “Add a device”.
              </span>
            </div>
          )}
          {mode === 'joinToken' ? (
            <details className="details">
              <summary>This device: {deviceName.trim() || device.name}</summary>
              {deviceField}
            </details>
          ) : (
            deviceField
          )}

          <p id="pairing-error" className="form-error" role="alert" data-testid="pairing-error">
            {error && (
              <>
                <Icon name="alert" size={18} />
                <span>{error}</span>
              </>
            )}
          </p>

          <button type="submit" className="button button--primary button--block" disabled={busy || !connected} data-testid="pair-button">
            {submitLabel}
          </button>
        </form>

        <div className="onboarding__footer">
          <ConnectionStatus />
          {mode === 'joinToken' && (
            <button type="button" className="link-button" onClick={() => (onJoinTokenUsed(), setMode('code'))}>
              Use a pairing code instead
            </button>
          )}
          {onChangeHub && mode !== 'joinToken' && (
            <button type="button" className="link-button" onClick={onChangeHub}>
              Use a different hub
            </button>
          )}
        </div>
      </section>
      {!connected && <p className="onboarding__below">Waiting for the hub. Make sure it is running and that this device is on the same network.</p>}
    </main>
  );
}
