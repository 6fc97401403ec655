/**
 * Writes the import template that the API serves to docs/import-template.xlsx, so that the
 * repository carries it too: `npm run import-template` after changing the columns.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateBuffer } from '@app/import';

const COMMITTED_TEMPLATE = join(__dirname, '..', 'docs', 'import-template.xlsx');

void templateBuffer().then((buffer) => {
  writeFileSync(COMMITTED_TEMPLATE, buffer);
  console.log(`wrote ${COMMITTED_TEMPLATE} (${buffer.length} bytes)`);
});
