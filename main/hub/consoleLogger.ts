import type { HubLogger } from './HubContext';

export type ConsoleLoggerOptions = {
  /**
   * Whether info lines are printed. The desktop app leaves them out: its
   * hub's connections and pairings are on the This hub screen, and nobody
   * reads its console.
   */
  info?: boolean;
};

/** The hub's log on the console, each line tagged `[roost]`; the default wherever no logger is given. */
export function consoleLogger(options: ConsoleLoggerOptions = {}): HubLogger {
  return {
    info: options.info === false ? () => {} : (m) => console.log(`[roost] ${m}`),
    warn: (m) => console.warn(`[roost] ${m}`),
    error: (m, err) => console.error(`[roost] ${m}`, err ?? ''),
  };
}
