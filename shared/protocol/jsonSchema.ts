import { z } from 'zod';
import { ClientFrameSchema, SendSchema } from './clientFrames';
import { PROTOCOL_VERSION } from './version';
import { NOT_BLANK_PATTERN } from './whitespace';
import { HubInfoSchema, ServerFrameSchema } from './serverFrames';
import { ConversationWireSchema, DeviceWireSchema, MessageWireSchema, ReceiptWireSchema, UserWireSchema } from './wire';

/**
 * The JSON Schema (draft 2020-12) of every frame, made from the zod schemas:
 * served by the hub at SCHEMA_PATH and committed as
 * docs/protocol/roost-protocol.schema.json. Each frame is a definition
 * (`client.<type>`, `hub.<type>`), as are the shared objects and the two
 * unions `ClientFrame` and `HubFrame`.
 */

type JsonSchema = Record<string, unknown>;
export type ProtocolJsonSchema = JsonSchema & { $defs: Record<string, JsonSchema> };

const OBJECTS = {
  User: UserWireSchema,
  Device: DeviceWireSchema,
  Receipt: ReceiptWireSchema,
  Conversation: ConversationWireSchema,
  Message: MessageWireSchema,
  HubInfo: HubInfoSchema,
} as const;

/** Definition name → schema, in the order the document lists them. */
function definitions(): Array<[string, z.ZodType]> {
  return [
    ['ClientFrame', ClientFrameSchema],
    ['HubFrame', ServerFrameSchema],
    ...ClientFrameSchema.options.map((o): [string, z.ZodType] => [`client.${o.shape.type.value}`, o]),
    ...ServerFrameSchema.options.map((o): [string, z.ZodType] => [`hub.${o.shape.type.value}`, o]),
    ...Object.entries(OBJECTS),
  ];
}

/**
 * A field with `.catch()` accepts any value, and none: that is the protocol's
 * rule for unknown platforms and error codes (section 4.4), so the JSON
 * Schema must not refuse what the hub and clients accept. Its known values
 * become `examples`.
 */
function loosenCatch(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  const { zodSchema, jsonSchema } = ctx;
  if (zodSchema === SendSchema) {
    // SendSchema's refinement, which zod cannot say in JSON Schema: blank text only with files.
    jsonSchema.anyOf = [
      { properties: { attachments: true }, required: ['attachments'] },
      { properties: { text: { type: 'string', pattern: NOT_BLANK_PATTERN.source } } },
    ];
  }
  if (zodSchema._zod.def.type === 'catch') {
    const known = jsonSchema.enum;
    for (const key of Object.keys(jsonSchema)) if (key !== 'description' && key !== 'default') delete jsonSchema[key];
    if (known) jsonSchema.examples = known;
    return;
  }
  if (zodSchema._zod.def.type !== 'object' || !Array.isArray(jsonSchema.required)) return;
  const shape = zodSchema._zod.def.shape;
  jsonSchema.required = jsonSchema.required.filter((key) => shape[key]?._zod.def.type !== 'catch');
  if (jsonSchema.required.length === 0) delete jsonSchema.required;
}

let cached: ProtocolJsonSchema | undefined;

export function protocolJsonSchema(): ProtocolJsonSchema {
  cached ??= build();
  return cached;
}

function build(): ProtocolJsonSchema {
  const registry = z.registry<{ id: string }>();
  const defs = definitions();
  for (const [id, schema] of defs) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'input',
    uri: (id) => `#/$defs/${id}`,
    override: loosenCatch,
  });
  const $defs: Record<string, JsonSchema> = {};
  for (const [id] of defs) {
    const { $schema: _schema, $id: _id, ...rest } = schemas[id] as JsonSchema;
    $defs[id] = rest;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `Roost protocol ${PROTOCOL_VERSION} frames`,
    description:
      'Every WebSocket frame of the Roost hub protocol (docs/PROTOCOL.md). Validate a frame from a client ' +
      'against #/$defs/ClientFrame and one from the hub against #/$defs/HubFrame. Lengths count Unicode code ' +
      'points; patterns are ECMA-262 regular expressions read with the u flag. Unknown fields are allowed.',
    anyOf: [{ $ref: '#/$defs/ClientFrame' }, { $ref: '#/$defs/HubFrame' }],
    $defs,
  };
}
