import { Icon } from './Icon';

/**
 * A form's error line. Always rendered (empty when there is no error) so the
 * live region exists before the first message and screen readers announce it.
 */
export function FormError({ error, id, testId }: { error: string | undefined; id?: string; testId?: string }) {
  return (
    <p id={id} className="form-error" role="alert" data-testid={testId}>
      {error && (
        <>
          <Icon name="alert" size={18} />
          <span>{error}</span>
        </>
      )}
    </p>
  );
}
