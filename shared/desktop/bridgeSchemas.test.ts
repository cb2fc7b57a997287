import { describe, expect, it } from 'vitest';
import { HubNameSchema } from './bridgeSchemas';

describe('HubNameSchema', () => {
  it('trims a hub name and keeps emoji', () => {
    expect(HubNameSchema.parse('  Den 👩‍💻 ')).toBe('Den 👩‍💻');
  });

  it.each([0x202e, 0x2067, 0x200b, 0x200d, 0xfeff, 0x3164, 0x0007].map((cp) => [cp.toString(16), cp] as const))(
    'refuses a hub name holding U+%s, as every other name',
    (_, cp) => {
      const result = HubNameSchema.safeParse(`De${String.fromCodePoint(cp)}n`);
      expect(result.error?.issues[0]?.message).toMatch(/^must not contain invisible, control or text-direction/);
    },
  );
});
