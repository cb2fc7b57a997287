import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ClientFrameSchema, ServerFrameSchema } from '../../shared/protocol';
import { protocolJsonSchema } from '../../shared/protocol/jsonSchema';
import { frameSamples } from './frameSamples';
import type { JsonSchema } from './schemaFields';

/**
 * The JSON Schema is published for clients written without our code, so it
 * must accept exactly what the hub's and clients' zod schemas accept. Every
 * sample is checked three ways: the protocol's intent, zod, and a real JSON
 * Schema validator (ajv, draft 2020-12, strict).
 */
const schema = protocolJsonSchema();
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(schema, 'roost');
const validators = {
  client: ajv.getSchema('roost#/$defs/ClientFrame')!,
  hub: ajv.getSchema('roost#/$defs/HubFrame')!,
};
const zod = { client: ClientFrameSchema, hub: ServerFrameSchema };
const samples = frameSamples(schema.$defs as Record<string, JsonSchema>);

describe('the JSON Schema agrees with the zod schemas', () => {
  it('has a definition per client frame, per hub frame and the two unions', () => {
    const defs = Object.keys(schema.$defs);
    for (const option of ClientFrameSchema.options) expect(defs).toContain(`client.${option.shape.type.value}`);
    for (const option of ServerFrameSchema.options) expect(defs).toContain(`hub.${option.shape.type.value}`);
    expect(defs).toEqual(expect.arrayContaining(['ClientFrame', 'HubFrame']));
  });

  it.each(samples.map((s) => [s.label, s] as const))('%s', (_label, sample) => {
    // What arrives on the wire: JSON text, parsed.
    const frame: unknown = JSON.parse(JSON.stringify(sample.frame));
    const byZod = zod[sample.side].safeParse(frame).success;
    const byJsonSchema = validators[sample.side](frame);
    expect({ byZod, byJsonSchema }).toEqual({ byZod: sample.valid, byJsonSchema: sample.valid });
  });
});
