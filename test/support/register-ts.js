/**
 * Lets a plain `node` child process run this repository's TypeScript (the crash test's
 * writer) without adding a dependency such as ts-node: `.ts` files are transpiled on require
 * with the installed `typescript` package (no type check: tsc and jest do that), and
 * `@app/<lib>` resolves to `libs/<lib>/src` (`@app/<lib>/testing` to its `testing/`) as the tsconfig paths say.
 *
 * Usage: node --require ./test/support/register-ts.js path/to/file.ts
 */
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const ts = require('typescript');

const root = resolve(__dirname, '../..');
const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAppAlias(request, ...rest) {
  const alias = /^@app\/([\w-]+)(\/testing)?$/.exec(request);
  const path = alias && join(root, 'libs', alias[1], 'src', alias[2] ?? '');
  return resolveFilename.call(this, path ?? request, ...rest);
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions,
  });
  module._compile(outputText, filename);
};
