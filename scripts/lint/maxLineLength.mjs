// @ts-check
/**
 * No source line over 120 characters. Prettier wraps code at that width but leaves comments and
 * strings alone; this catches those. A line whose only long part is a URL is allowed: a URL
 * cannot be wrapped.
 */
export const MAX_LINE_LENGTH = 120;

/** @type {Parameters<import('oxlint/plugins-dev').RuleTester['run']>[1]} */
export const maxLineLength = {
  meta: {
    type: 'layout',
    docs: { description: `Keeps source lines at or under ${MAX_LINE_LENGTH} characters` },
    schema: [],
  },
  create(context) {
    return {
      Program(node) {
        context.sourceCode.lines.forEach((text, index) => {
          // Code points, as an editor's column counts them.
          const length = Array.from(text).length;
          if (length <= MAX_LINE_LENGTH || /https?:\/\/\S{20,}/.test(text)) return;
          const line = index + 1;
          context.report({
            node,
            loc: { start: { line, column: MAX_LINE_LENGTH }, end: { line, column: text.length } },
            message: `Line is ${length} characters long; at most ${MAX_LINE_LENGTH}.`,
          });
        });
      },
    };
  },
};
