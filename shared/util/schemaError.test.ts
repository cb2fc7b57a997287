import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSchemaError } from './schemaError';

const Schema = z.object({ name: z.string().min(1, 'must not be blank'), tags: z.array(z.int()) });

function errorOf(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error;
}

describe('describeSchemaError', () => {
  it('names each issue by its dotted path, in order', () => {
    expect(describeSchemaError(errorOf(Schema, { name: '', tags: [1, 'x'] }))).toBe(
      'name: must not be blank; tags.1: Invalid input: expected number, received string',
    );
  });

  it('names an issue about the whole value by its root label', () => {
    expect(describeSchemaError(errorOf(Schema, null), { root: 'the file' })).toBe(
      'the file: Invalid input: expected object, received null',
    );
    expect(describeSchemaError(errorOf(Schema, null))).toMatch(/^\(root\): /);
  });

  it('words places as the caller asks', () => {
    const place = (path: string) => `argument ${path}`;
    expect(describeSchemaError(errorOf(z.tuple([z.string()]), [1]), { place })).toBe(
      'argument 0: Invalid input: expected string, received number',
    );
  });

  it('describes at most the first three issues unless told otherwise', () => {
    const error = errorOf(z.array(z.string()), [1, 2, 3, 4]);
    expect(
      describeSchemaError(error)
        .split('; ')
        .map((s) => s.split(':')[0]),
    ).toEqual(['0', '1', '2']);
    expect(describeSchemaError(error, { maxIssues: 1 })).toBe('0: Invalid input: expected string, received number');
  });

  it('names a symbol in a path instead of throwing', () => {
    const key = Symbol('key');
    const error = new z.ZodError([{ code: 'custom', path: [key], message: 'bad', input: undefined }]);
    expect(describeSchemaError(error)).toBe('Symbol(key): bad');
  });
});
