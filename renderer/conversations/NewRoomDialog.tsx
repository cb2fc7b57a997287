import { useMemo, useState, type FormEvent } from 'react';
import { useClient } from '../app/useClient';
import { useRoost } from '../app/useRoost';
import { nameProblem } from '../pairing/pairingMessages';
import { Dialog } from '../ui/Dialog';
import { DialogActions } from '../ui/DialogActions';
import { FormError } from '../ui/FormError';
import { TextField } from '../ui/TextField';
import { otherUsers } from './conversationSummaries';
import { MemberPicker, toggled } from './MemberPicker';

type Props = { open: boolean; onClose: () => void; onCreated: (id: string) => void };

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
  const self = useRoost((s) => s.self);
  const people = useMemo(() => otherUsers({ users, self }), [users, self]);
  const [name, setName] = useState('');
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

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
    <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        label="Room name"
        value={name}
        onChange={setName}
        maxLength={64}
        placeholder="e.g. Weekend plans"
        autoFocus
        autoComplete="off"
      />
      <MemberPicker
        label="Members"
        people={people}
        selected={members}
        onToggle={(id) => setMembers((m) => toggled(m, id))}
      />
      <FormError error={error} />
      <DialogActions onCancel={onClose} confirmLabel={busy ? 'Creating…' : 'Create room'} disabled={busy} />
    </form>
  );
}
