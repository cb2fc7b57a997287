import { OnboardingPage } from '../pairing/OnboardingPage';
import { useMigration, type MigrationState } from './useMigration';

type Props = { oldOrigin: string; onDone: () => void };

/**
 * Opened from the old http:// page's "Move this device" link: brings this browser's device, its unsent
 * messages and its cache from the old origin, so the person neither pairs again nor loses anything.
 */
export function MigrationScreen({ oldOrigin, onDone }: Props) {
  const { state, start } = useMigration(oldOrigin);
  const text = describe(state, oldOrigin);
  const canStart = state.phase === 'intro' || state.phase === 'blocked' || state.phase === 'lost';
  const canLeave = state.phase !== 'waiting' && state.phase !== 'finishing';
  return (
    <OnboardingPage titleId="migrate-title" testId="migration-screen" data={dataOf(state)}>
      <div>
        <h1 id="migrate-title" className="onboarding__title">
          {text.title}
        </h1>
        <p className="onboarding__lead" role="status">
          {text.body}
        </p>
      </div>
      {canStart && (
        <button
          type="button"
          className="button button--primary button--block"
          onClick={start}
          data-testid="migrate-start"
        >
          {state.phase === 'intro' ? 'Move this device' : 'Try again'}
        </button>
      )}
      {canLeave && (
        <button
          type="button"
          className={`button button--block ${canStart ? 'button--secondary' : 'button--primary'}`}
          onClick={onDone}
          data-testid="migrate-continue"
        >
          {state.phase === 'moved' || state.phase === 'empty' ? 'Continue' : 'Continue without moving'}
        </button>
      )}
    </OnboardingPage>
  );
}

/** The phase, and why a refusal was one, for tests and styles. */
function dataOf(state: MigrationState): Record<`data-${string}`, string> {
  return state.phase === 'refused'
    ? { 'data-phase': state.phase, 'data-reason': state.reason }
    : { 'data-phase': state.phase };
}

/** What stays behind when the move fails: said every time, so nothing unsent is lost without the person knowing. */
function leftBehind(oldOrigin: string): string {
  return (
    ` If you continue without moving, pair this device again. The messages it had not sent yet stay at the old ` +
    `address: open ${oldOrigin}/ in this browser to read and copy them.`
  );
}

function describe(state: MigrationState, oldOrigin: string): { title: string; body: string } {
  const title = 'Move this device to the encrypted address';
  switch (state.phase) {
    case 'intro':
      return {
        title,
        body:
          `This browser used Roost at ${oldOrigin}/, without encryption. Its sign-in, the messages it has not ` +
          'sent yet and what it had loaded are kept there, and a browser keeps each address’s data apart. ' +
          'Move this device brings them here in a small window, so you do not pair again and nothing is lost.',
      };
    case 'waiting':
      return { title, body: 'Reading this device’s data at the old address…' };
    case 'finishing':
      return { title, body: 'Moved here. Removing the old copy…' };
    case 'moved':
      return {
        title: 'This device now uses the encrypted address',
        body:
          (state.pending > 0
            ? `${plural(state.pending, 'message')} not sent yet will be sent as soon as the hub answers.`
            : 'Nothing was waiting to be sent.') +
          (state.cleared ? '' : ' The copy at the old address could not be removed; it is no longer used.'),
      };
    case 'empty':
      return { title: 'Nothing to move', body: 'This browser holds no Roost device at the old address. Pair it here.' };
    case 'blocked':
      return {
        title,
        body:
          'The browser blocked the small window. Allow pop-ups for this address and try again.' + leftBehind(oldOrigin),
      };
    case 'lost':
      return {
        title,
        body: 'The window to the old address closed before it handed anything over.' + leftBehind(oldOrigin),
      };
    case 'unreadable':
      return { title, body: 'The browser would not let the old address read its own data.' + leftBehind(oldOrigin) };
    case 'refused':
      if (state.reason === 'KEY_NOT_MOVABLE')
        return {
          title: 'This device’s key cannot be moved',
          body:
            `This device signs in with a key the browser keeps at ${oldOrigin}/ only, so nothing was moved. ` +
            `Keep using it at the old address, or pair again here. The messages it had not sent yet stay there: ` +
            'the window there lists them.',
        };
      return {
        title: state.reason === 'HAS_ACCOUNT' ? 'This browser is already paired here' : title,
        body:
          (state.reason === 'HAS_ACCOUNT'
            ? 'This browser already has a device at the encrypted address, so nothing was replaced. '
            : state.reason === 'INVALID'
              ? 'The data at the old address could not be read as a Roost device. '
              : 'This browser would not store the data here. ') +
          `The messages the old device had not sent yet stay at ${oldOrigin}/: the window there lists them.`,
      };
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
