import { officerZhCN } from './officer.zh-CN';

/** The officer's and auditor's pages (import, project forms, what changed): English. */
export const officerEnUS: Record<keyof typeof officerZhCN, string> = {
  'menu.imports': 'Import',

  'pages.imports.title': 'Import a register',
  'pages.imports.intro':
    'Upload an .xlsx or .csv register: check it first (nothing is written), then confirm once every row passes; if one row fails, nothing is imported.',
  'pages.imports.template': 'Download the template',
  'pages.imports.choose': 'Choose a file',
  'pages.imports.drop': 'Click or drop an .xlsx / .csv file (at most 10 MB)',
  'pages.imports.check': 'Check (write nothing)',
  'pages.imports.confirm': 'Confirm the import',
  'pages.imports.again': 'Import another file',
  'pages.imports.step.choose': 'Choose a file',
  'pages.imports.step.check': 'Check',
  'pages.imports.step.confirm': 'Confirm',
  'pages.imports.rejected': 'Nothing was imported: fix the rows below and upload again',
  'pages.imports.rowErrors': 'Row errors ({count})',
  'pages.imports.row': 'Row',
  'pages.imports.column': 'Column',
  'pages.imports.message': 'Problem',
  'pages.imports.checked': 'Check passed: {rows} rows, {projects} projects, {events} facts to record',
  'pages.imports.nothingNew': 'Check passed: all {rows} rows are already recorded; importing adds nothing',
  'pages.imports.imported': 'Imported {file}: {rows} rows, {projects} projects, {events} facts recorded',
  'pages.imports.results': 'Rows',
  'pages.imports.events': 'Facts recorded',
  'pages.imports.toProjects': 'Open the projects',
};
