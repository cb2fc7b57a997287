import { useState, type FormEvent } from 'react';
import type { HostingConfig } from '../../shared/desktop';
import { FormError } from '../ui/FormError';
import { TextField } from '../ui/TextField';
import { hubNameProblem, MAX_HUB_NAME, parsePort } from './hubSetup';

type Props = {
  initial: HostingConfig;
  submitLabel: string;
  busyLabel: string;
  /** Resolves with an error to show, or undefined when done. */
  onSubmit: (config: HostingConfig) => Promise<string | undefined>;
  autoFocus?: boolean;
  testId?: string;
};

/** The hub's name and port: on first run, and in "This hub" settings. */
export function HostHubForm({ initial, submitLabel, busyLabel, onSubmit, autoFocus = false, testId }: Props) {
  const [name, setName] = useState(initial.name);
  const [port, setPort] = useState(initial.port ? String(initial.port) : '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const nameError = hubNameProblem(name);
    if (nameError) return setError(nameError);
    const parsedPort = parsePort(port);
    if (!parsedPort.ok) return setError(parsedPort.error);
    setBusy(true);
    setError(undefined);
    try {
      setError(await onSubmit({ name: name.trim(), port: parsedPort.port }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="onboarding__form" onSubmit={(e) => void submit(e)} noValidate data-testid={testId}>
      <div className="host-form__row">
        <TextField
          label="Hub name"
          value={name}
          onChange={setName}
          maxLength={MAX_HUB_NAME}
          autoComplete="off"
          autoFocus={autoFocus}
          hint="Shown to everyone who joins."
        />
        <TextField
          className="host-form__port"
          label="Port"
          value={port}
          onChange={setPort}
          inputMode="numeric"
          autoComplete="off"
          maxLength={5}
          placeholder="7420"
        />
      </div>
      <FormError error={error} testId={testId ? `${testId}-error` : undefined} />
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={busy}
        data-testid={testId ? `${testId}-submit` : undefined}
      >
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
