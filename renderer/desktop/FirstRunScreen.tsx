import { useState } from 'react';
import type { HostingConfig, HostingStatus } from '../../shared/desktop';
import { useDefaultDevice } from '../app/useDefaultDevice';
import type { DesktopBridge } from '../hub/desktopBridge';
import { OnboardingPage } from '../pairing/OnboardingPage';
import { Icon, type IconName } from '../ui/Icon';
import { HostHubForm } from './HostHubForm';
import { DEFAULT_PORT, defaultHubName, hostingErrorText } from './hubSetup';
import { JoinSection } from './JoinSection';
import './desktop.css';

type Choice = 'host' | 'join';

type Props = {
  bridge: DesktopBridge;
  onChooseHost: (config: HostingConfig) => Promise<HostingStatus>;
  onChooseJoin: (wsUrl: string, identity: string) => Promise<void>;
};

/** The desktop app's first run: host the hub on this computer, or join one on the network. */
export function FirstRunScreen({ bridge, onChooseHost, onChooseJoin }: Props) {
  const [choice, setChoice] = useState<Choice>();
  return (
    <OnboardingPage titleId="first-run-title" testId="first-run-screen" data={{ 'data-choice': choice ?? 'none' }} wide>
      <div>
        <h1 id="first-run-title" className="onboarding__title">
          Set up Roost on this computer
        </h1>
        <p className="onboarding__lead">
          Everyone on your network chats through one hub. Run it here, or join one that already runs.
        </p>
      </div>
      <fieldset className="choices">
        <legend className="sr-only">Host or join?</legend>
        <ChoiceOption
          value="host"
          current={choice}
          onChoose={setChoice}
          icon="broadcast"
          title="Host a hub on this computer"
        >
          Others join you. Keep this computer on while people chat.
        </ChoiceOption>
        <ChoiceOption
          value="join"
          current={choice}
          onChoose={setChoice}
          icon="search"
          title="Join a hub on this network"
        >
          Someone already runs a hub at home or in the office.
        </ChoiceOption>
      </fieldset>
      {choice === 'host' && <HostSection onChooseHost={onChooseHost} />}
      {choice === 'join' && <JoinSection bridge={bridge} onChooseJoin={onChooseJoin} />}
    </OnboardingPage>
  );
}

type OptionProps = {
  value: Choice;
  current: Choice | undefined;
  onChoose: (value: Choice) => void;
  icon: IconName;
  title: string;
  children: string;
};

function ChoiceOption({ value, current, onChoose, icon, title, children }: OptionProps) {
  return (
    <label className="choice" data-testid={`choose-${value}`}>
      <input
        type="radio"
        name="first-run-choice"
        value={value}
        checked={current === value}
        onChange={() => onChoose(value)}
      />
      <span className="choice__icon" aria-hidden="true">
        <Icon name={icon} size={22} />
      </span>
      <span className="choice__text">
        <span className="choice__title">{title}</span>
        <span className="choice__detail">{children}</span>
      </span>
    </label>
  );
}

function HostSection({ onChooseHost }: Pick<Props, 'onChooseHost'>) {
  const device = useDefaultDevice();
  return (
    <section className="first-run__section" aria-label="Host a hub">
      <HostHubForm
        key={device.name}
        initial={{ name: defaultHubName(device.name), port: DEFAULT_PORT }}
        submitLabel="Start the hub"
        busyLabel="Starting…"
        autoFocus
        testId="host-form"
        onSubmit={async (config) => {
          const status = await onChooseHost(config);
          return status.state === 'error' ? hostingErrorText(status, config.port) : undefined;
        }}
      />
    </section>
  );
}
