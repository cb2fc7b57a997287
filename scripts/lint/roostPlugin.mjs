// @ts-check
/** Roost's own lint rules, loaded by oxlint as a JS plugin (.oxlintrc.json `jsPlugins`). */
import { maxLineLength } from './maxLineLength.mjs';
import { processBoundaries } from './processBoundaries.mjs';

export default {
  meta: { name: 'roost' },
  rules: { 'process-boundaries': processBoundaries, 'max-line-length': maxLineLength },
};
