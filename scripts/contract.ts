/** `npm run contract`: writes the Kafka contract generated from the types (contract-generator.ts). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_DIR, generateContract } from '../libs/messaging/src/testing/contract-generator';

if (require.main === module) {
  const { files } = generateContract();
  rmSync(join(CONTRACT_DIR, 'schemas'), { recursive: true, force: true });
  mkdirSync(join(CONTRACT_DIR, 'schemas'), { recursive: true });
  for (const [name, content] of files) writeFileSync(join(CONTRACT_DIR, name), content);
  console.log(
    `wrote ${files.size} files to ${CONTRACT_DIR} (${readdirSync(join(CONTRACT_DIR, 'schemas')).length} schemas)`,
  );
}
