import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { protocolJsonSchema } from '../../shared/protocol/jsonSchema';
import { renderFramesMarkdown } from './renderFrames';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A generated file: its path from the repository root and its whole text. */
export type GeneratedFile = { path: string; text: string };

/** Formatted as `npm run format` would, so the committed files pass `prettier --check`. */
async function formatted(relativePath: string, text: string): Promise<GeneratedFile> {
  const filepath = path.join(ROOT, relativePath);
  const config = (await resolveConfig(filepath)) ?? {};
  return { path: relativePath, text: await format(text, { ...config, filepath }) };
}

/** What `npm run docs:protocol` writes: the frame reference and the JSON Schema, both from shared/protocol. */
export async function generateProtocolDocs(): Promise<GeneratedFile[]> {
  const schema = protocolJsonSchema();
  return Promise.all([
    formatted('docs/protocol/frames.md', renderFramesMarkdown(schema)),
    formatted('docs/protocol/roost-protocol.schema.json', `${JSON.stringify(schema, null, 2)}\n`),
  ]);
}
