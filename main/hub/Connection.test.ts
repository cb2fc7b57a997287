import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { Connection, TYPING_RELAY_MS } from './Connection';

describe('Connection.mayRelayTyping', () => {
  it('lets one typing per conversation through every TYPING_RELAY_MS', () => {
    const conn = new Connection({} as WebSocket, '10.0.0.1', { framesPerSecond: 10, frameBurst: 10, maxBufferedBytes: 1024 });
    expect(conn.mayRelayTyping('general', 1_000)).toBe(true);
    expect(conn.mayRelayTyping('general', 1_000 + TYPING_RELAY_MS - 1)).toBe(false);
    expect(conn.mayRelayTyping('other', 1_500)).toBe(true);
    expect(conn.mayRelayTyping('general', 1_000 + TYPING_RELAY_MS)).toBe(true);
  });
});
