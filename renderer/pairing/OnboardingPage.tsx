import type { ReactNode } from 'react';
import { Logo } from '../ui/Icon';
import './Onboarding.css';

type Props = {
  /** Id of the card's heading, which names the card. */
  titleId: string;
  testId: string;
  children: ReactNode;
  /** Extra attributes for tests (e.g. the pairing mode). */
  data?: Record<`data-${string}`, string>;
  /** Under the card: a quiet remark. */
  below?: ReactNode;
  wide?: boolean;
};

/** The frame of every first-run screen: the brand, then one calm card. */
export function OnboardingPage({ titleId, testId, children, data, below, wide = false }: Props) {
  return (
    <main className="onboarding">
      <div className="onboarding__brand">
        <Logo size={32} />
        <span>Roost</span>
      </div>
      <section
        className={`onboarding__card${wide ? ' onboarding__card--wide' : ''}`}
        aria-labelledby={titleId}
        data-testid={testId}
        {...data}
      >
        {children}
      </section>
      {below}
    </main>
  );
}
