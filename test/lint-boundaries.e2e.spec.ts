import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface Case {
  file: string;
  code: string;
}

/** Lints each snippet as if it were the given file, with the repository's own ESLint config. */
function lint(cases: Case[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint();
    const results = [];
    for (const { file, code } of cases) {
      const [result] = await eslint.lintText(code, { filePath: file });
      results.push(result.messages.filter((m) => m.ruleId === 'tracker/lib-boundaries').map((m) => m.message));
    }
    process.stdout.write(JSON.stringify(results));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[][];
}

describe('lint: lib boundaries (eslint/lib-boundaries.mjs)', () => {
  it('fails a lib that imports an app, leaves its folder, imports Nest or a lib it may not, or test code', () => {
    const [app, relative, nest, notAllowed, testing, spec, allowed, apps] = lint([
      { file: 'libs/projections/src/index.ts', code: "export * from 'apps/api/src/bootstrap';\n" },
      { file: 'libs/projections/src/index.ts', code: "export * from '../../domain/src/index';\n" },
      { file: 'libs/application/src/index.ts', code: "export { Injectable } from '@nestjs/common';\n" },
      { file: 'libs/messaging/src/index.ts', code: "export * from '@app/application';\n" },
      { file: 'libs/application/src/index.ts', code: "export * from '@app/event-store/testing';\n" },
      {
        file: 'libs/application/src/handle-command.unit.spec.ts',
        code: "export { InMemoryEventStore } from '@app/event-store/testing';\n",
      },
      {
        file: 'libs/application/src/index.ts',
        code: "export * from '@app/domain';\nexport * from './clock';\n",
      },
      {
        file: 'apps/api/src/main.ts',
        code: "export * from '@app/platform';\nexport * from '@nestjs/common';\n",
      },
    ]);
    expect(app).toEqual(['libs/projections may not import "apps/api/src/bootstrap"']);
    expect(relative).toEqual(['libs/projections may not import "../../domain/src/index": it leaves the lib']);
    expect(nest).toEqual([expect.stringContaining('libs/application is not Nest-facing')]);
    expect(notAllowed).toEqual([expect.stringContaining('libs/messaging may not import @app/application')]);
    expect(testing).toEqual([expect.stringContaining('@app/event-store/testing is test code')]);
    expect(spec).toEqual([]);
    expect(allowed).toEqual([]);
    expect(apps).toEqual([]);
  });
});
