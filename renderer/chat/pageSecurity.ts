/**
 * Whether this page came over plain HTTP from another machine: the hub's owner allowed plain HTTP for
 * browsers (--allow-plain-http), so everything this device sends, its pairing code and messages included,
 * crosses the network readable by anyone on it. Loopback never leaves the machine, so it is not marked.
 */
export function pageIsUnencrypted(location: Pick<Location, 'protocol' | 'hostname'>): boolean {
  if (location.protocol !== 'http:') return false;
  const host = location.hostname.toLowerCase();
  return !(
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]'
  );
}

export const NOT_ENCRYPTED_EXPLANATION =
  'This hub lets browsers connect without encryption: anyone on this network can read what this device sends ' +
  'and receives, and could pretend to be the hub. Ask the hub’s owner to turn off plain HTTP and open the https:// ' +
  'address instead.';
