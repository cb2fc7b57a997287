import { RuleTester } from 'oxlint/plugins-dev';
import { describe, it } from 'vitest';
import { MAX_LINE_LENGTH, maxLineLength } from './maxLineLength.mjs';

RuleTester.describe = describe;
RuleTester.it = it;

const comment = (length: number) => `// ${'x'.repeat(length - 3)}`;
const url = `https://example.org/${'a'.repeat(150)}`;

new RuleTester().run('max-line-length', maxLineLength, {
  valid: [
    { name: 'exactly at the limit', code: comment(MAX_LINE_LENGTH) },
    { name: 'emoji count once each', code: `const s = '${'😀'.repeat(MAX_LINE_LENGTH - 13)}';` },
    { name: 'a long URL alone in a comment', code: `// see ${url}` },
    { name: 'a long URL in a string', code: `const link = '${url}';` },
  ],
  invalid: [
    {
      name: 'one over the limit, reported on its line from the 121st character',
      code: `const a = 1;\n${comment(MAX_LINE_LENGTH + 1)}`,
      errors: [{ message: /121 characters/, line: 2, column: MAX_LINE_LENGTH }],
    },
    {
      name: 'a URL does not excuse the rest of a long line',
      code: `const value = computeSomething(${'argument, '.repeat(10)}other); // ${url}`,
      errors: [{ message: /URLs aside/ }],
    },
    { name: 'emoji past the limit', code: `const s = '${'😀'.repeat(MAX_LINE_LENGTH)}';`, errors: 1 },
  ],
});
