import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { loadConfig } from '@app/config';
import { SystemClock, TrackerCommands } from '@app/application';
import { EMBEDDED_STORE_FILE } from '@app/event-store';
import {
  ImportFileError,
  ImportForbiddenError,
  ImportIssue,
  ImportNotSupportedError,
  ImportPhase,
  ImportRejectedError,
  ImportSummary,
  runImport,
} from '@app/import';
import { openLoggedStore } from './cli-log';

interface ImportCommandOptions {
  api?: string;
  token?: string;
  dataDir?: string;
  dryRun?: boolean;
  as: string;
}

const PHASE_LABELS: Record<ImportPhase, string> = {
  checking: 'checking rows',
  writing: 'writing events',
  done: 'done',
};

/**
 * `import <file>`: the same import as `POST /api/v1/imports`, either sent to a running API
 * (`--api`, `--token`) or run straight on the embedded store of a data dir (`--data-dir`).
 */
export function importCommand(): Command {
  return new Command('import')
    .description("import a round's 台账 (.xlsx or .csv): all rows or none")
    .argument('<file>', 'the spreadsheet')
    .option('--api <url>', 'a running API, e.g. http://127.0.0.1:3000')
    .option('--token <jwt>', 'bearer token for --api (default: $TRACKER_TOKEN)')
    .option(
      '--data-dir <dir>',
      'import straight into the embedded store of this data dir (default: $DATA_DIR)',
    )
    .option('--dry-run', 'check every row, write nothing')
    .option('--as <name>', 'who is recorded as importing (embedded store)', `cli:${userInfo().username}`)
    .action(async (file: string, options: ImportCommandOptions) => {
      const bytes = readFileSync(file);
      const name = basename(file);
      const progress = new Progress();
      try {
        const summary = options.api
          ? await importOverHttp(
              options.api,
              options.token ?? process.env.TRACKER_TOKEN,
              name,
              bytes,
              options,
              progress,
            )
          : await importOnStore(options.dataDir, name, bytes, options, progress);
        progress.stop();
        printSummary(summary);
      } catch (error) {
        progress.stop();
        if (!(error instanceof ImportFailed)) throw error;
        process.stderr.write(`${error.message}\n`);
        for (const issue of error.issues) process.stderr.write(`  ${describe(issue)}\n`);
        process.exitCode = 1;
      }
    });
}

/** The import's own refusal (bad rows, forbidden rows, unreadable file): exit 1, no stack. */
class ImportFailed extends Error {
  constructor(
    message: string,
    readonly issues: ImportIssue[] = [],
  ) {
    super(message);
  }
}

async function importOnStore(
  dataDir: string | undefined,
  name: string,
  bytes: Buffer,
  options: ImportCommandOptions,
  progress: Progress,
): Promise<ImportSummary> {
  const config = loadConfig(dataDir ? { ...process.env, DATA_DIR: dataDir } : process.env);
  if (config.eventStore === 'embedded' && !existsSync(join(config.dataDir, EMBEDDED_STORE_FILE))) {
    throw new ImportFailed(
      `no event store in ${resolve(config.dataDir)} (expected ${EMBEDDED_STORE_FILE}); start the API once or pass --data-dir`,
    );
  }
  const store = await openLoggedStore(config);
  try {
    return await runImport(
      { name, bytes },
      {
        commands: new TrackerCommands(store, {
          clock: new SystemClock(),
          utcOffsetMinutes: config.utcOffsetMinutes,
          programmeStartOn: config.programmeStartOn,
        }),
        store,
        // An operator at the server's console: an administrator's rights.
        caller: { sub: options.as, role: 'admin', zones: [], cities: [] },
      },
      { dryRun: options.dryRun, onProgress: (phase, done, total) => progress.update(phase, done, total) },
    );
  } catch (error) {
    if (error instanceof ImportRejectedError || error instanceof ImportForbiddenError) {
      throw new ImportFailed(error.message, error.issues);
    }
    if (error instanceof ImportFileError || error instanceof ImportNotSupportedError) {
      throw new ImportFailed(error.message);
    }
    throw error;
  } finally {
    await store.close();
  }
}

const UPLOAD_CHUNK = 64 * 1024;

async function importOverHttp(
  api: string,
  token: string | undefined,
  name: string,
  bytes: Buffer,
  options: ImportCommandOptions,
  progress: Progress,
): Promise<ImportSummary> {
  if (!token) throw new ImportFailed('--api needs --token <jwt> (or TRACKER_TOKEN)');
  const boundary = `----tracker-import-${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name.replace(/["\r\n]/g, encodeURIComponent)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const body = Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  let sent = 0;
  // Streamed in chunks so that the bar shows the upload; the server then checks and writes.
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= body.length) {
        controller.close();
        progress.update('checking', 0, 0);
        return;
      }
      const chunk = body.subarray(sent, sent + UPLOAD_CHUNK);
      sent += chunk.length;
      progress.upload(sent, body.length);
      controller.enqueue(chunk);
    },
  });
  const url = new URL('/api/v1/imports', api);
  if (options.dryRun) url.searchParams.set('dryRun', 'true');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Content-Length': String(body.length),
    },
    body: stream,
    duplex: 'half',
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return answer as unknown as ImportSummary;
  const issues = Array.isArray(answer.errors) ? (answer.errors as ImportIssue[]) : [];
  const detail = typeof answer.detail === 'string' ? answer.detail : response.statusText;
  throw new ImportFailed(`HTTP ${response.status}: ${detail}`, issues);
}

function describe(issue: ImportIssue | { field?: string; message: string }): string {
  if ('row' in issue) return `row ${issue.row}${issue.column ? `, ${issue.column}` : ''}: ${issue.message}`;
  return `${issue.field ?? ''}: ${issue.message}`;
}

function printSummary(summary: ImportSummary): void {
  const verb = summary.dryRun ? 'would record' : 'recorded';
  process.stdout.write(
    `${summary.file} (sha256 ${summary.sha256.slice(0, 12)}…): ${summary.rows} rows, ${summary.projects} projects, ` +
      `${summary.events} events ${verb}${summary.events === 0 ? ' (every row was already recorded)' : ''}; ` +
      `import id ${summary.importId}\n`,
  );
  const warnings = summary.warnings ?? [];
  if (warnings.length === 0) return;
  process.stdout.write(`${warnings.length} warnings (recorded all the same; worth a second look):\n`);
  for (const warning of warnings) process.stdout.write(`  ${describe(warning)}\n`);
}

/** A bar on a terminal; one line per phase otherwise (logs, CI, the crash test). */
class Progress {
  private bar?: SingleBar;
  private phase?: string;

  upload(sent: number, total: number): void {
    this.show('uploading', sent, total);
  }

  update(phase: ImportPhase, done: number, total: number): void {
    this.show(PHASE_LABELS[phase], done, total);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private show(label: string, done: number, total: number): void {
    if (label !== this.phase) {
      this.stop();
      this.phase = label;
      if (!process.stderr.isTTY) {
        process.stderr.write(`${label}${total > 0 ? ` (${total})` : ''}\n`);
        return;
      }
      if (total === 0) {
        process.stderr.write(`${label}…\n`);
        return;
      }
      this.bar = new SingleBar({ format: `${label.padEnd(15)} [{bar}] {value}/{total}`, hideCursor: true });
      this.bar.start(total, done);
      return;
    }
    this.bar?.update(done);
  }
}
