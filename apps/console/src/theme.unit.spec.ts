import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NOT_IN_STYLESHEET, RUNTIME_THEME, THEME } from './theme';

/** Every name a console source imports from 'antd'. */
function antdImports(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) antdImports(path).forEach((name) => names.add(name));
    else if (/\.tsx?$/.test(entry.name))
      for (const [, list] of readFileSync(path, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'antd'/g))
        for (const name of list.split(',')) if (name.trim()) names.add(name.trim().split(/\s+as\s+/)[0]);
  }
  return names;
}

describe('the console theme', () => {
  it('runs with the same tokens the stylesheet is built with, and no run-time style generation', () => {
    expect(RUNTIME_THEME).toEqual({ ...THEME, zeroRuntime: true });
  });

  it('leaves out of the stylesheet only components no page imports', () => {
    const imported = antdImports(__dirname);
    expect(imported.has('Button')).toBe(true); // the scan finds imports
    expect(NOT_IN_STYLESHEET.filter((name) => imported.has(name))).toEqual([]);
  });
});
