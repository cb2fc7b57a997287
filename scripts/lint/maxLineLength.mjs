// @ts-check
/**
 * No source line over 120 characters. Prettier wraps code at that width but leaves comments and
 * strings alone; this catches those. A URL cannot be wrapped, so URLs do not count towards the
 * length: a line is too long only if it is too long without them.
 */
export const MAX_LINE_LENGTH = 120;

const URL_PATTERN = /https?:\/\/\S+/g;

/** Code points, as an editor's column counts them. @param {string} text */
const width = (text) => Array.from(text).length;

/** @type {Parameters<import('oxlint/plugins-dev').RuleTester['run']>[1]} */
export const maxLineLength = {
  meta: {
    type: 'layout',
    docs: { description: `Keeps source lines at or under ${MAX_LINE_LENGTH} characters, URLs aside` },
    schema: [],
  },
  create(context) {
    return {
      Program(node) {
        context.sourceCode.lines.forEach((text, index) => {
          if (width(text) <= MAX_LINE_LENGTH) return;
          const counted = width(text.replace(URL_PATTERN, ''));
          if (counted <= MAX_LINE_LENGTH) return;
          const line = index + 1;
          // Locations are in UTF-16 units: where the 121st code point starts, to the end of the line.
          const column = Array.from(text).slice(0, MAX_LINE_LENGTH).join('').length;
          context.report({
            node,
            loc: { start: { line, column }, end: { line, column: text.length } },
            message: `Line is ${counted} characters long (URLs aside); at most ${MAX_LINE_LENGTH}.`,
          });
        });
      },
    };
  },
};
