'use strict';
/**
 * First step of `npm test`, `npm run hub` and `npm start`: on a Node older than package.json's
 * `engines.node`, stop with one line naming the version to install, before tsx or Vitest can fail
 * with a stack trace. Plain CommonJS with no modern syntax, so that an old Node can parse it.
 */
var fs = require('fs');
var path = require('path');

/** The Node line we test on and tell people to install: Electron 45's own. */
var RECOMMENDED_MAJOR = 24;

/** Parses ">=MAJOR.MINOR" (the only form our engines field uses) into [major, minor]. */
function minimumFrom(range) {
  var match = /^>=\s*(\d+)\.(\d+)$/.exec(String(range).trim());
  if (!match) throw new Error('engines.node must read ">=MAJOR.MINOR", got ' + JSON.stringify(range));
  return [Number(match[1]), Number(match[2])];
}

/** Null when `version` (like "v22.12.0") satisfies `range`, else the one line to print. */
function nodeVersionProblem(version, range) {
  var minimum = minimumFrom(range);
  var parts = /^v?(\d+)\.(\d+)/.exec(version);
  var major = parts ? Number(parts[1]) : 0;
  var minor = parts ? Number(parts[2]) : 0;
  var ok = major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
  if (ok) return null;
  return (
    'roost: this is Node ' +
    version +
    '; Roost needs Node ' +
    minimum[0] +
    '.' +
    minimum[1] +
    ' or newer. ' +
    'Install Node ' +
    RECOMMENDED_MAJOR +
    ' (https://nodejs.org/) and run the command again.'
  );
}

function main() {
  var pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  var problem = nodeVersionProblem(process.version, pkg.engines.node);
  if (!problem) return;
  console.error(problem);
  process.exit(1);
}

module.exports = { nodeVersionProblem: nodeVersionProblem, RECOMMENDED_MAJOR: RECOMMENDED_MAJOR };

if (require.main === module) main();
