import {
  CLIENT_FRAME_TYPES,
  PROTOCOL_VERSION,
  REQUESTS,
  SCHEMA_PATH,
  SERVER_FRAME_TYPES,
  UNREQUESTED_PUSHES,
  requestErrors,
  type ClientFrameType,
  type RequestSpec,
  type ServerFrameType,
} from '../../shared/protocol';
import { CLIENT_FRAME_EXAMPLES, SERVER_FRAME_EXAMPLES } from '../../shared/protocol/examples';
import type { ProtocolJsonSchema } from '../../shared/protocol/jsonSchema';
import { fieldRows, fieldTable, refLink, type JsonSchema } from './schemaFields';

/** Shared objects, in the order frames.md lists them. */
const OBJECTS = ['User', 'Device', 'Receipt', 'Conversation', 'Message', 'HubInfo'] as const;

const hubLink = (type: ServerFrameType) => refLink(`hub.${type}`);
const clientLink = (type: ClientFrameType) => refLink(`client.${type}`);

function anchor(id: string): string {
  return `<a id="${id}"></a>`;
}

function example(frame: unknown): string {
  return ['```json', JSON.stringify(frame), '```'].join('\n');
}

/** Label and items; one item stays on the label's line. */
function facts(rows: Array<[string, string[]]>): string {
  return rows
    .map(([label, items]) =>
      items.length === 1
        ? `- **${label}:** ${items[0]}`
        : [`- **${label}:**`, ...items.map((i) => `  - ${i}`)].join('\n'),
    )
    .join('\n');
}

function requestFacts(type: ClientFrameType): string {
  const spec: RequestSpec = REQUESTS[type];
  const answer = spec.answer.map(hubLink).join(' or ');
  const rows: Array<[string, string[]]> = [
    ['State', [`${spec.state === 'any' ? 'any, even before `hello`' : spec.state} (PROTOCOL.md 5.3)`]],
    ['Answer', [spec.answered === 'always' ? answer : `${answer}, only when the request carries a \`rid\``]],
  ];
  if (spec.pushes.length > 0) rows.push(['Pushes', spec.pushes.map((p) => `${hubLink(p.frame)} to ${p.to}`)]);
  if (spec.closes) rows.push(['Closes', [`with ${spec.closes.code}: ${spec.closes.to}`]]);
  rows.push([
    'Errors',
    [
      requestErrors(type)
        .map((c) => `\`${c}\``)
        .join(', '),
    ],
  ]);
  rows.push(['Rules', [`[PROTOCOL.md](../PROTOCOL.md) ${spec.section}`]]);
  return facts(rows);
}

function hubFacts(type: ServerFrameType): string {
  const rows: Array<[string, string[]]> = [];
  const answers = CLIENT_FRAME_TYPES.filter((c) => (REQUESTS[c] as RequestSpec).answer.includes(type));
  if (type === 'error') rows.push(['Answers', ['any frame the hub refuses (PROTOCOL.md 4.3)']]);
  else if (answers.length > 0) rows.push(['Answers', [answers.map(clientLink).join(', ')]]);
  const pushes = CLIENT_FRAME_TYPES.flatMap((c) =>
    (REQUESTS[c] as RequestSpec).pushes
      .filter((p) => p.frame === type)
      .map((p) => `after ${clientLink(c)}, to ${p.to}`),
  );
  for (const p of UNREQUESTED_PUSHES) if (p.frame === type) pushes.push(`to ${p.to}`);
  if (pushes.length > 0) rows.push(['Pushed', pushes]);
  return rows.length > 0 ? facts(rows) : '';
}

function section(id: string, title: string, schema: JsonSchema, extra: string, frame?: unknown): string {
  const parts = [anchor(id), `### ${title}`, schema.description ?? '', extra, fieldTable(fieldRows(schema))];
  if (frame !== undefined) parts.push(example(frame));
  return parts.filter((p) => p !== '').join('\n\n');
}

/** docs/protocol/frames.md: every frame and shared object, from the JSON Schema and the request table. */
export function renderFramesMarkdown(schema: ProtocolJsonSchema): string {
  const defs = schema.$defs as Record<string, JsonSchema>;
  const def = (id: string): JsonSchema => {
    const found = defs[id];
    if (!found) throw new Error(`the JSON Schema has no definition ${id}`);
    return found;
  };
  const intro = [
    `# Roost protocol ${PROTOCOL_VERSION}: frame reference`,
    '<!-- Generated from shared/protocol by `npm run docs:protocol`. Do not edit: edit the schemas. -->',
    'Every frame, its fields, and for each request its answer, the pushes it causes and the errors it can get. ' +
      'The rules are in [PROTOCOL.md](../PROTOCOL.md); this file is generated from the same zod schemas the hub ' +
      'and the clients parse with, as is the JSON Schema [roost-protocol.schema.json](roost-protocol.schema.json), ' +
      `which every hub also serves at \`GET ${SCHEMA_PATH}\`.`,
    'Every frame may carry `rid` (PROTOCOL.md 4.2). Lengths count characters, that is Unicode code points. ' +
      'Unknown fields are ignored by both sides.',
    '- Client frames: ' + CLIENT_FRAME_TYPES.map(clientLink).join(', '),
    '- Hub frames: ' + SERVER_FRAME_TYPES.map(hubLink).join(', '),
    '- Objects: ' + OBJECTS.map((o) => refLink(o)).join(', '),
  ];
  const client = CLIENT_FRAME_TYPES.map((type) =>
    section(
      `client-${type.toLowerCase()}`,
      `\`${type}\``,
      def(`client.${type}`),
      requestFacts(type),
      CLIENT_FRAME_EXAMPLES[type],
    ),
  );
  const hub = SERVER_FRAME_TYPES.map((type) =>
    section(
      `hub-${type.toLowerCase()}`,
      `\`${type}\``,
      def(`hub.${type}`),
      hubFacts(type),
      SERVER_FRAME_EXAMPLES[type],
    ),
  );
  const objects = OBJECTS.map((name) => section(name.toLowerCase(), name, def(name), ''));
  return (
    [...intro, '## Client frames', ...client, '## Hub frames', ...hub, '## Objects', ...objects].join('\n\n') + '\n'
  );
}
