import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');

/** Source files `npm run build` compiles into dist/ (those excluded and those pulled in by imports). */
function buildFiles(): string[] {
  const tsc = require.resolve('typescript/bin/tsc');
  const out = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], {
    cwd: root,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter((file) => file && !file.includes('node_modules'))
    .map((file) => relative(root, file));
}

describe('npm run build', () => {
  it('compiles the apps and libs but nothing from testing/ and no spec', () => {
    const files = buildFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        'apps/api/src/main.ts',
        'apps/cli/src/main.ts',
        'apps/relay/src/main.ts',
        'libs/application/src/handle-command.ts',
      ]),
    );
    expect(files.filter((file) => /(^|\/)testing\//.test(file) || file.endsWith('.spec.ts'))).toEqual([]);
  });
});
