import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One measured figure with the settings it was measured under. */
export interface Measurement {
  part: string;
  name: string;
  value: number;
  unit: string;
  /** The target, as text, and whether this run met it. */
  target?: string;
  met?: boolean;
  settings: Record<string, unknown>;
}

export interface Skipped {
  part: string;
  reason: string;
}

export function printTable(measurements: readonly Measurement[], skipped: readonly Skipped[]): void {
  const rows = measurements.map((m) => [
    m.part,
    m.name,
    formatValue(m.value),
    m.unit,
    m.target ?? '',
    m.met === undefined ? '' : m.met ? 'met' : 'MISSED',
  ]);
  const header = ['part', 'measurement', 'value', 'unit', 'target', ''];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => displayWidth(row[column]))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 2 ? pad(cell, widths[column], 'left') : pad(cell, widths[column], 'right'),
      )
      .join('  ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const skip of skipped) console.log(`(${skip.part} skipped: ${skip.reason})`);
  console.log('');
}

export function writeResults(resultsDir: string, startedAt: Date, report: object): string[] {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const files = [join(resultsDir, `${stamp}.json`), join(resultsDir, 'latest.json')];
  const text = `${JSON.stringify(report, null, 2)}\n`;
  for (const file of files) writeFileSync(file, text);
  return files;
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function displayWidth(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, side: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return side === 'left' ? fill + text : text + fill;
}
