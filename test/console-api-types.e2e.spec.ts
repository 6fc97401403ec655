import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const TYPES_FILE = join(ROOT, 'apps', 'console', 'src', 'services', 'openapi.ts');

describe("the console's API types (apps/console/src/services/openapi.ts)", () => {
  it('are what openapi-typescript makes of the OpenAPI document the API serves now', async () => {
    // given
    const committed = readFileSync(TYPES_FILE, 'utf8');
    // when
    const { stdout: fresh } = await promisify(execFile)(
      process.execPath,
      ['--require', './test/support/register-ts.js', 'scripts/console-api-types.ts', '--print'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'error' } },
    );
    // then
    if (committed !== fresh)
      throw new Error(
        "the console's API types are stale (the API's OpenAPI document changed): run `npm run console-api-types` and commit the result",
      );
    expect(fresh).toContain('RecordMilestoneDto');
  }, 120_000);
});
