import { Avatar } from '../ui/Avatar';

type Person = { id: string; displayName: string; online: boolean };

type Props = {
  people: readonly Person[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  label: string;
};

/** A list of people to tick, e.g. the members of a new room. */
export function MemberPicker({ people, selected, onToggle, label }: Props) {
  if (people.length === 0) return <p className="dialog__text">There is nobody else to add yet.</p>;
  return (
    <fieldset className="member-picker">
      <legend className="field__label">{label}</legend>
      <ul className="member-picker__list">
        {people.map((p) => (
          <li key={p.id}>
            <label className="member-picker__option">
              <input type="checkbox" checked={selected.has(p.id)} onChange={() => onToggle(p.id)} />
              <Avatar id={p.id} name={p.displayName} size="small" online={p.online} />
              <span className="member-picker__name">{p.displayName}</span>
              <span className="member-picker__status">{p.online ? 'Online' : 'Offline'}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** Ticking state for MemberPicker. */
export function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
