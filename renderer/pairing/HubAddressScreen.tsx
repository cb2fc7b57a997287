import { useId, useState, type FormEvent } from 'react';
import { parseHubAddress, type HubAddress } from '../hub/hubAddress';
import { Icon, Logo } from '../ui/Icon';
import './Onboarding.css';

/**
 * Asked only when the page was not served by a hub and the desktop shell gave
 * no address (e.g. a development server): where is the hub?
 */
export function HubAddressScreen({ onChoose }: { onChoose(address: HubAddress): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const inputId = useId();
  const hintId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseHubAddress(text);
    if (parsed.ok) onChoose(parsed.address);
    else setError(parsed.error);
  };

  return (
    <main className="onboarding">
      <div className="onboarding__brand">
        <Logo size={32} />
        <span>Roost</span>
      </div>
      <section className="onboarding__card" aria-labelledby="hub-title" data-testid="hub-address-screen">
        <div>
          <h1 id="hub-title" className="onboarding__title">
            Find your hub
          </h1>
          <p className="onboarding__lead">Roost talks to a hub on your network. Enter the address it shows when it starts.</p>
        </div>
        <form className="onboarding__form" onSubmit={submit} noValidate>
          <div className="field">
            <label className="field__label" htmlFor={inputId}>
              Hub address
            </label>
            <input
              id={inputId}
              className="input"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="192.168.1.20:7420"
              inputMode="url"
              autoComplete="url"
              spellCheck={false}
              autoFocus
              aria-describedby={hintId}
            />
            <span id={hintId} className="field__hint">
              An IP address or host name, with the port if it is not 7420.
            </span>
          </div>
          <p className="form-error" role="alert">
            {error && (
              <>
                <Icon name="alert" size={18} />
                <span>{error}</span>
              </>
            )}
          </p>
          <button type="submit" className="button button--primary button--block">
            Connect
          </button>
        </form>
      </section>
    </main>
  );
}
