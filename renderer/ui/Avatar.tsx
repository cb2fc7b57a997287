import { avatarHue, initials } from './avatarHue';
import { Icon } from './Icon';
import './Avatar.css';

type Props = {
  /** Colour seed: a user or conversation id. */
  id: string;
  name: string;
  size?: 'small' | 'medium' | 'large';
  /** A room shows a # instead of initials. */
  room?: boolean;
  /** Shows a presence dot; undefined shows none. */
  online?: boolean;
};

/** Decorative: the name is always next to it in text, so screen readers skip it. */
export function Avatar({ id, name, size = 'medium', room = false, online }: Props) {
  return (
    <span
      className={`avatar avatar--${size} avatar--hue-${avatarHue(id)}${room ? ' avatar--room' : ''}`}
      aria-hidden="true"
    >
      {room ? <Icon name="hash" size={size === 'small' ? 14 : 18} /> : initials(name)}
      {online !== undefined && <span className={`presence-dot${online ? ' presence-dot--online' : ''}`} />}
    </span>
  );
}
