import { CLIENT_MSG_ID_PATTERN, ID_PATTERN, LIMITS, NAME_PATTERN, NOT_BLANK_PATTERN } from '../../shared/protocol';

/** One row of a field table, flattened from a JSON Schema object. */
export type FieldRow = { path: string; type: string; required: string; limits: string; description: string };

export type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  examples?: unknown[];
  default?: unknown;
  $ref?: string;
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
};

/** Patterns a person should read as words; an unknown pattern is shown as it is. */
const PATTERN_NAMES = new Map<string, string>([
  [ID_PATTERN.source, 'an id: 1 to 64 of `A-Z a-z 0-9 _ -`'],
  [CLIENT_MSG_ID_PATTERN.source, '8 to 64 of `A-Z a-z 0-9 _ -`'],
  [NAME_PATTERN.source, `a name: trimmed of whitespace, then 1 to ${LIMITS.maxNameLength} characters`],
  [NOT_BLANK_PATTERN.source, 'not only whitespace'],
]);

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** A definition name as a link to its section in frames.md. */
export function refLink(ref: string): string {
  const name = ref.replace('#/$defs/', '');
  const [side, type] = name.split('.');
  if (type) return `[\`${type}\`](#${side}-${type.toLowerCase()})`;
  return `[${name}](#${name.toLowerCase()})`;
}

export function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return refLink(schema.$ref);
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.type === 'array' && schema.items) return `${typeOf(schema.items)}[]`;
  if (schema.oneOf) return 'object, by `kind`';
  if (schema.type) return schema.type;
  if (schema.examples?.every((e) => typeof e === 'string')) return 'string';
  return 'any';
}

const MAX = Number.MAX_SAFE_INTEGER;

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  const big = (n: number) => (n === MAX ? '2^53 - 1' : String(n));
  if (min !== undefined && max !== undefined) return `${big(min)} to ${big(max)}${unit}`;
  if (max !== undefined) return `at most ${big(max)}${unit}`;
  if (min !== undefined) return `at least ${big(min)}${unit}`;
  return undefined;
}

/** An integer's bounds, unless it is any safe integer (every `z.int()` has those). */
function valueRange(schema: JsonSchema): string | undefined {
  if (schema.minimum === -MAX && schema.maximum === MAX) return undefined;
  return range(schema.minimum, schema.maximum, '');
}

export function limitsOf(schema: JsonSchema): string {
  const parts: string[] = [];
  const lengths = range(schema.minLength, schema.maxLength, ' characters');
  if (lengths) parts.push(lengths);
  const values = valueRange(schema);
  if (values) parts.push(values);
  const items = range(schema.minItems, schema.maxItems, ' items');
  if (items) parts.push(items);
  if (schema.pattern) parts.push(PATTERN_NAMES.get(schema.pattern) ?? `pattern ${code(schema.pattern)}`);
  if (schema.enum) parts.push(`one of ${schema.enum.map(code).join(', ')}`);
  if (schema.examples) parts.push(`known: ${schema.examples.map(code).join(', ')}`);
  if (schema.default !== undefined) parts.push(`default ${code(schema.default)}`);
  if (schema.type === 'array' && schema.items && !schema.items.$ref) {
    const each = limitsOf(schema.items);
    if (each) parts.push(`each: ${each}`);
  }
  return parts.join('; ');
}

/** The rows of an object's fields, nested objects and `kind` variants flattened into dotted paths. */
export function fieldRows(object: JsonSchema, prefix = '', requiredNote = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(object.required ?? []);
  for (const [name, field] of Object.entries(object.properties ?? {})) {
    // Every frame may carry it; said once at the top of frames.md.
    if (name === 'rid' && prefix === '') continue;
    const path = `${prefix}${name}`;
    const isRequired = required.has(name) ? `yes${requiredNote}` : 'no';
    rows.push({
      path,
      type: typeOf(field),
      required: isRequired,
      limits: limitsOf(field),
      description: field.description ?? '',
    });
    if (field.type === 'object' && field.properties) rows.push(...fieldRows(field, `${path}.`, requiredNote));
    for (const variant of field.oneOf ?? []) {
      const kind = variant.properties?.kind?.const;
      rows.push(...fieldRows(variant, `${path}.`, kind === undefined ? '' : ` (kind ${code(kind)})`));
    }
  }
  return rows;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function fieldTable(rows: readonly FieldRow[]): string {
  const lines = ['| Field | Type | Required | Limits | Description |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(
      `| \`${r.path}\` | ${cell(r.type)} | ${cell(r.required)} | ${cell(r.limits)} | ${cell(r.description)} |`,
    );
  }
  return lines.join('\n');
}
