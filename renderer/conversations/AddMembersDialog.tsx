import { useMemo, useState, type FormEvent } from 'react';
import type { ConversationState } from '../../shared/sync';
import { useClient } from '../app/useClient';
import { useRoost } from '../app/useRoost';
import { Dialog } from '../ui/Dialog';
import { DialogActions } from '../ui/DialogActions';
import { FormError } from '../ui/FormError';
import { otherUsers } from './conversationSummaries';
import { MemberPicker, toggled } from './MemberPicker';

type Props = { open: boolean; conversation: ConversationState; title: string; onClose: () => void };

export function AddMembersDialog({ open, conversation, title, onClose }: Props) {
  return (
    <Dialog open={open} title={`Add people to ${title}`} onClose={onClose} testId="add-members-dialog">
      <AddMembersForm conversation={conversation} onClose={onClose} />
    </Dialog>
  );
}

function AddMembersForm({ conversation, onClose }: { conversation: ConversationState; onClose: () => void }) {
  const client = useClient();
  const users = useRoost((s) => s.users);
  const self = useRoost((s) => s.self);
  const members = conversation.memberUserIds;
  const candidates = useMemo(
    () => otherUsers({ users, self }).filter((u) => !members.includes(u.id)),
    [users, self, members],
  );
  const current = useMemo(
    () => members.map((id) => users[id]?.displayName ?? 'Unknown').sort((a, b) => a.localeCompare(b)),
    [members, users],
  );
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen.size === 0) return setError('Choose at least one person to add.');
    setBusy(true);
    setError(undefined);
    try {
      await client.addMembers(conversation.id, [...chosen]);
      onClose();
    } catch (err) {
      setError(`They could not be added: ${err instanceof Error ? err.message : String(err)}`);
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
      <p className="dialog__text">
        <strong>Members:</strong> {current.join(', ')}
      </p>
      <MemberPicker
        label="Add"
        people={candidates}
        selected={chosen}
        onToggle={(id) => setChosen((c) => toggled(c, id))}
      />
      <FormError error={error} />
      <DialogActions
        onCancel={onClose}
        confirmLabel={busy ? 'Adding…' : 'Add to room'}
        disabled={busy || candidates.length === 0}
      />
    </form>
  );
}
