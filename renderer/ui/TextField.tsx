import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input and announced with it. */
  hint?: ReactNode;
  /** `input--code`: monospaced and spaced, for codes people copy by hand. */
  code?: boolean;
};

/** A labelled text input with an optional hint: the one field block of every form. */
export function TextField({ label, value, onChange, hint, code, className, ...input }: Props) {
  const id = useId();
  const hintId = useId();
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        id={id}
        className={code ? 'input input--code' : 'input'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? hintId : undefined}
      />
      {hint && (
        <span id={hintId} className="field__hint">
          {hint}
        </span>
      )}
    </div>
  );
}
