/** What usually keeps hubs from being found, for when none are. */
export function DiscoveryHelp() {
  return (
    <details className="details discovery-help" data-testid="discovery-help">
      <summary>Nothing found? What commonly blocks it</summary>
      <ul className="discovery-help__list">
        <li>
          A <strong>firewall</strong> on either computer blocking mDNS (UDP port 5353) or the hub’s port (usually 7420).
        </li>
        <li>
          <strong>Client or AP isolation</strong> on the Wi-Fi, common on guest networks and in offices: devices cannot
          see each other.
        </li>
        <li>
          A <strong>VPN</strong> that routes local traffic away from this network.
        </li>
        <li>
          Being on a <strong>different subnet or guest network</strong> than the hub, e.g. a separate 5 GHz or mesh
          network.
        </li>
      </ul>
      <p className="discovery-help__tip">You can always type the address the hub shows, below.</p>
    </details>
  );
}
