import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SCHEMA_PATH } from '../../shared/protocol';
import { cleanupsAfterEach } from './testing/cleanups';
import { httpGet } from './testing/httpGet';
import { TestClient } from './testing/TestClient';
import { startTestHub } from './testing/testHub';

const cleanups = cleanupsAfterEach();

async function hub() {
  const started = await startTestHub();
  cleanups.push(started.cleanup);
  return started.hub;
}

const committed = new URL('../../docs/protocol/roost-protocol.schema.json', import.meta.url);

describe(`GET ${SCHEMA_PATH}`, () => {
  it('serves the JSON Schema of every frame, the same as docs/protocol', async () => {
    const h = await hub();
    const answer = await httpGet(h.port, `${SCHEMA_PATH}?v=1`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/schema+json; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(SCHEMA_PATH).toBe(`/api/v${PROTOCOL_VERSION}/protocol.schema.json`);
    expect(JSON.parse(answer.body)).toEqual(JSON.parse(await readFile(committed, 'utf8')));
  });

  it('is refused to a foreign Host, like /api/info', async () => {
    const h = await hub();
    const answer = await httpGet(h.port, SCHEMA_PATH, { Host: 'evil.example' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
  });

  it("lets a client check the hub's frames with nothing but the served schema", async () => {
    const h = await hub();
    const ajv = new Ajv2020({ strict: true });
    ajv.addSchema(JSON.parse((await httpGet(h.port, SCHEMA_PATH)).body) as object, 'served');
    const hubFrame = ajv.getSchema('served#/$defs/HubFrame')!;
    const clientFrame = ajv.getSchema('served#/$defs/ClientFrame')!;
    const hello = { type: 'hello', rid: 'h', protocol: PROTOCOL_VERSION };
    expect(clientFrame(hello)).toBe(true);
    const client = await TestClient.connect(h.port);
    client.sendFrame(hello);
    const welcome = await client.nextOf('welcome');
    client.sendFrame({ type: 'hello', rid: '' });
    const error = await client.nextOf('error');
    await client.close();
    expect(hubFrame(welcome)).toBe(true);
    expect(hubFrame(error)).toBe(true);
    expect(clientFrame({ type: 'hello', rid: '' })).toBe(false);
  });
});
