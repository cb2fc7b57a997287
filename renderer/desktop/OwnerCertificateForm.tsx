import { useState, type FormEvent } from 'react';
import type { OwnerCertificate } from '../../shared/desktop';
import { FormError } from '../ui/FormError';
import { TextField } from '../ui/TextField';

type Props = {
  current: OwnerCertificate | undefined;
  /** Resolves with an error to show, or undefined once the hub runs with it (undefined: its own certificate). */
  onApply: (certificate: OwnerCertificate | undefined) => Promise<string | undefined>;
};

/**
 * The owner's own certificate for a name they own (as `--tls-cert`/`--tls-key`), so browsers open the hub
 * without a warning. Devices keep the hub's identity whatever certificate it serves; changing it restarts the hub.
 */
export function OwnerCertificateForm({ current, onApply }: Props) {
  const [certFile, setCertFile] = useState(current?.certFile ?? '');
  const [keyFile, setKeyFile] = useState(current?.keyFile ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const apply = async (certificate: OwnerCertificate | undefined) => {
    setBusy(true);
    setError(undefined);
    try {
      setError(await onApply(certificate));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!certFile.trim() || !keyFile.trim()) return setError('Give both files: the certificate and its key.');
    void apply({ certFile: certFile.trim(), keyFile: keyFile.trim() });
  };

  return (
    <form className="onboarding__form" onSubmit={submit} noValidate data-testid="owner-certificate">
      <p>
        {current
          ? 'The hub serves your certificate. Browsers trust it without a warning.'
          : 'The hub serves a certificate it made itself, so browsers warn once. If you have a certificate for a ' +
            'name you own, give its files here (PEM).'}
      </p>
      <TextField label="Certificate file" value={certFile} onChange={setCertFile} autoComplete="off" code />
      <TextField label="Key file" value={keyFile} onChange={setKeyFile} autoComplete="off" code />
      <FormError error={error} />
      <div className="join-confirm__actions">
        <button type="submit" className="button button--secondary" disabled={busy}>
          {busy ? 'Restarting…' : 'Use this certificate'}
        </button>
        {current && (
          <button type="button" className="button" disabled={busy} onClick={() => void apply(undefined)}>
            Use the hub’s own certificate
          </button>
        )}
      </div>
    </form>
  );
}
