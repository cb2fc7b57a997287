import { describe, expect, it } from 'vitest';
import { ErrorCode, type ClientFrameInput } from '../../shared/protocol';
import { cleanupsAfterEach } from './testing/cleanups';
import { pairRequest } from './testing/devicePairing';
import { TestClient } from './testing/TestClient';
import { pairNewUser, startTestHub } from './testing/testHub';

/** Look-alike names (PROTOCOL.md 2.2): the hub refuses invisible and text-direction characters in every name. */

const cleanups = cleanupsAfterEach();

describe('names with invisible or text-direction characters', () => {
  it('are refused as display, device and room names, naming the character', async () => {
    const { hub, cleanup } = await startTestHub();
    cleanups.push(cleanup);
    const stranger = await TestClient.connect(hub.port);
    cleanups.push(() => stranger.close());
    await stranger.hello();
    const joinToken = hub.createJoinToken().token;
    const refusedPair = await pairRequest(stranger, {
      credential: { kind: 'joinToken', token: joinToken, displayName: 'Ann\u202Egnp.exe' },
      device: { name: 'Phone', platform: 'android' },
    });
    expect(refusedPair).toMatchObject({ type: 'error', code: ErrorCode.BAD_FRAME });
    expect(refusedPair.type === 'error' && refusedPair.message).toMatch(/invisible.*U\+202E/);
    // Refused before the secret was looked at: the link still works.
    expect(hub.isJoinTokenLive(joinToken)).toBe(true);

    const ann = await pairNewUser(hub, 'Ann');
    cleanups.push(() => ann.client.close());
    const frames: ClientFrameInput[] = [
      { type: 'createGroup', name: 'Clim\u200Bbing', memberUserIds: [] },
      { type: 'renameDevice', deviceId: ann.credentials.deviceId, name: '\u3164' },
    ];
    for (const frame of frames) {
      expect(await ann.client.request(frame)).toMatchObject({
        type: 'error',
        code: ErrorCode.BAD_FRAME,
        message: expect.stringMatching(/invisible, control or text-direction/),
      });
    }
    expect(await ann.client.request({ type: 'createGroup', name: 'Climbing 🧗‍♀️', memberUserIds: [] })).toMatchObject({
      type: 'conversation',
    });
  });
});
