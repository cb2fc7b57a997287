import type { HubAddress } from '../hub/hubAddress';
import { OnboardingPage } from './OnboardingPage';
import { HubAddressForm } from './HubAddressForm';

/**
 * Asked only when the page was not served by a hub and there is no desktop
 * shell (e.g. a development server): where is the hub?
 */
export function HubAddressScreen({ onChoose }: { onChoose: (address: HubAddress) => void }) {
  return (
    <OnboardingPage titleId="hub-title" testId="hub-address-screen">
      <div>
        <h1 id="hub-title" className="onboarding__title">
          Find your hub
        </h1>
        <p className="onboarding__lead">
          Roost talks to a hub on your network. Enter the address it shows when it starts.
        </p>
      </div>
      <HubAddressForm onChoose={onChoose} autoFocus />
    </OnboardingPage>
  );
}
