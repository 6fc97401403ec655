import { Command } from 'commander';
import { readableSchemaVersion } from '@app/domain';
import { MissingStoreError, checkStoreIntegrity, describeFinding } from '@app/event-store';
import { CliError, withExistingStore } from './cli-store';

/** Exit codes of `check` (README.md "CLI"): 0 sound, 1 corrupt, 2 no store or a usage mistake. */
export const CHECK_EXIT = { sound: 0, corrupt: 1, missing: 2 } as const;

/**
 * Checks a store offline, as the API does before it serves: every event's type and schema
 * version readable by this version, every stream's revisions without a gap, positions rising.
 */
export function checkCommand(): Command {
  return new Command('check')
    .description(
      'check a store offline for what the API would refuse to start on (exit 0 sound, 1 corrupt, 2 no store)',
    )
    .option('--data-dir <dir>', "the API's data directory (default: DATA_DIR)")
    .option('--max-findings <n>', 'stop after this many findings', (value) => Number(value), 100)
    .action(async (options: { dataDir?: string; maxFindings: number }) => {
      const result = await withExistingStore(
        (store) => checkStoreIntegrity(store, { readableSchemaVersion, maxFindings: options.maxFindings }),
        options.dataDir,
      ).catch((error: unknown) => {
        if (error instanceof MissingStoreError) throw new CliError(error.message, CHECK_EXIT.missing);
        throw error;
      });
      for (const finding of result.findings) process.stdout.write(`${describeFinding(finding)}\n`);
      process.stdout.write(
        `${result.events} events in ${result.streams} streams checked: ` +
          (result.findings.length === 0 ? 'sound\n' : `${result.findings.length} findings\n`),
      );
      if (result.findings.length > 0) process.exitCode = CHECK_EXIT.corrupt;
    });
}
