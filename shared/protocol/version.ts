/**
 * The wire protocol's version. Bump it on any change that an older peer could
 * misread; additive fields that old peers ignore do not need a bump.
 */
export const PROTOCOL_VERSION = 3;

/** Oldest client protocol the hub still speaks. */
export const MIN_PROTOCOL_VERSION = 2;

/** Path of the WebSocket upgrade on the hub's HTTP port. */
export const WS_PATH = '/ws';

/** Path of the hub's public description (no secrets). */
export const INFO_PATH = '/api/info';

/** Path of the JSON Schema of every frame; versioned, so a later protocol can serve its own beside it. */
export const SCHEMA_PATH = `/api/v${PROTOCOL_VERSION}/protocol.schema.json`;

/** mDNS service type the hub advertises (`_roost._tcp`). */
export const MDNS_SERVICE_TYPE = 'roost';

/** Port the hub listens on unless told otherwise. */
export const DEFAULT_PORT = 7420;
