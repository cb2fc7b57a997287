import { useId, useMemo, useState, type FormEvent } from 'react';
import { useClient } from '../app/useClient';
import { useRoost } from '../app/useRoost';
import { nameProblem } from '../pairing/pairingMessages';
import { Dialog } from '../ui/Dialog';
import { otherUsers } from './conversationSummaries';
import { MemberPicker, toggled } from './MemberPicker';

type Props = { open: boolean; onClose(): void; onCreated(id: string): void };

export function NewRoomDialog({ open, onClose, onCreated }: Props) {
  return (
    <Dialog open={open} title="New room" onClose={onClose} testId="new-room-dialog">
      <NewRoomForm onClose={onClose} onCreated={onCreated} />
    </Dialog>
  );
}

function NewRoomForm({ onClose, onCreated }: Omit<Props, 'open'>) {
  const client = useClient();
  const users = useRoost((s) => s.users);
  const people = useMemo(() => otherUsers(client.getState()), [client, users]);
  const [name, setName] = useState('');
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const nameId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = nameProblem('a name for the room', name);
    if (problem) return setError(problem);
    setBusy(true);
    setError(undefined);
    try {
      const room = await client.createGroup(name.trim(), [...members]);
      onCreated(room.id);
    } catch (err) {
      setError(`The room could not be created: ${err instanceof Error ? err.message : String(err)}`);
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="field">
        <label className="field__label" htmlFor={nameId}>
          Room name
        </label>
        <input id={nameId} className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} placeholder="e.g. Weekend plans" autoFocus autoComplete="off" />
      </div>
      <MemberPicker label="Members" people={people} selected={members} onToggle={(id) => setMembers((m) => toggled(m, id))} />
      <p className="form-error" role="alert">
        {error}
      </p>
      <div className="dialog__actions">
        <button type="button" className="button button--ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create room'}
        </button>
      </div>
    </form>
  );
}
