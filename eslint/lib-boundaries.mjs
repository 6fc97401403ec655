import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Which lib may import which (`@app/<lib>`), derived from the imports the libs need:
 *   domain      ← nothing (pure: no framework, no I/O, no clock)
 *   config      ← nothing
 *   event-store ← nothing (the port and its adapters)
 *   projections ← domain, event-store
 *   messaging   ← domain, event-store
 *   application ← domain, event-store, projections, config (the command path, no transport)
 *   import      ← domain, event-store, application (spreadsheet import, used by the API and the CLI)
 *   platform    ← config, event-store (the Nest modules the apps share)
 *   observability ← config, event-store (pino logger, write log lines, graceful shutdown; no Nest)
 * Only `platform` is Nest-facing: no other lib imports `@nestjs/*`. No lib imports an app or
 * `test/`, or leaves its own folder by a relative path. `@app/<lib>/testing` is for specs and
 * other testing/ files only. Apps may import any lib.
 */
export const LIB_DEPENDENCIES = {
  domain: [],
  config: [],
  'event-store': [],
  projections: ['domain', 'event-store'],
  messaging: ['domain', 'event-store'],
  application: ['domain', 'event-store', 'projections', 'config'],
  import: ['domain', 'event-store', 'application'],
  platform: ['config', 'event-store'],
  observability: ['config', 'event-store'],
};
export const NEST_FACING_LIBS = ['platform'];

const isTestFile = (path) => /\.spec\.ts$/.test(path) || /(^|\/)testing\//.test(path);

function violation(root, file, source) {
  const path = relative(root, file).split(sep).join('/');
  const lib = /^libs\/([^/]+)\//.exec(path)?.[1];
  if (!lib) return undefined;
  if (source.startsWith('.')) {
    const target = relative(resolve(root, 'libs', lib), resolve(dirname(file), source));
    return target.startsWith('..') ? `libs/${lib} may not import "${source}": it leaves the lib` : undefined;
  }
  if (/^(apps|libs|test|bench)(\/|$)/.test(source)) return `libs/${lib} may not import "${source}"`;
  if (source.startsWith('@nestjs/') && !NEST_FACING_LIBS.includes(lib))
    return `libs/${lib} is not Nest-facing: it may not import ${source} (only ${NEST_FACING_LIBS.join(', ')} may)`;
  const alias = /^@app\/([^/]+)(\/testing)?$/.exec(source);
  if (source.startsWith('@app/') && !alias) return `"${source}" is not a lib's public entry point`;
  if (!alias) return undefined;
  const [, target, testing] = alias;
  if (testing && !isTestFile(path))
    return `${source} is test code; only specs and testing/ files may import it`;
  if (target === lib) return testing ? undefined : `libs/${lib} imports itself by alias; use a relative path`;
  const allowed = LIB_DEPENDENCIES[lib] ?? [];
  if (!allowed.includes(target))
    return `libs/${lib} may not import @app/${target} (it may import: ${allowed.join(', ') || 'no other lib'})`;
  return undefined;
}

/** ESLint rule enforcing the table above on every import, export-from and import(). */
export const libBoundaries = {
  meta: { type: 'problem', schema: [], docs: { description: 'which lib may import which' } },
  create(context) {
    const root = context.cwd;
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const message = violation(root, context.filename, source.value);
      if (message) context.report({ node: source, message });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
