import { useState, type FormEvent } from 'react';
import { parseHubAddress, type HubAddress } from '../hub/hubAddress';
import { FormError } from '../ui/FormError';
import { TextField } from '../ui/TextField';

type Props = {
  onChoose: (address: HubAddress) => void | Promise<void>;
  submitLabel?: string;
  /** Secondary look, for when the form is the fallback below a list. */
  quiet?: boolean;
  autoFocus?: boolean;
};

/** A typed-in hub address (`192.168.1.20:7420`, a URL or a join link), checked before it is used. */
export function HubAddressForm({ onChoose, submitLabel = 'Connect', quiet = false, autoFocus = false }: Props) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseHubAddress(text);
    if (!parsed.ok) return setError(parsed.error);
    setError(undefined);
    setBusy(true);
    try {
      await onChoose(parsed.address);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="onboarding__form" onSubmit={(e) => void submit(e)} noValidate data-testid="hub-address-form">
      <TextField
        label="Hub address"
        value={text}
        onChange={setText}
        placeholder="192.168.1.20:7420"
        inputMode="url"
        autoComplete="url"
        spellCheck={false}
        autoFocus={autoFocus}
        hint="An IP address or host name, with the port if it is not 7420."
      />
      <FormError error={error} />
      <button
        type="submit"
        className={`button button--block ${quiet ? 'button--secondary' : 'button--primary'}`}
        disabled={busy}
        data-testid="hub-address-submit"
      >
        {submitLabel}
      </button>
    </form>
  );
}
