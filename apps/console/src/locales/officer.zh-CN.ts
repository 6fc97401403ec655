/** The officer's and auditor's pages (import, project forms, what changed): Chinese. */
export const officerZhCN = {
  'menu.imports': '台账导入',

  'pages.imports.title': '台账导入',
  'pages.imports.intro':
    '上传 .xlsx 或 .csv 台账：先检查（不写入），全部行通过后再确认导入；有一行出错则全部不导入。',
  'pages.imports.template': '下载导入模板',
  'pages.imports.choose': '选择文件',
  'pages.imports.drop': '点击或拖入 .xlsx / .csv 文件（不超过 10 MB）',
  'pages.imports.check': '检查（不写入）',
  'pages.imports.confirm': '确认导入',
  'pages.imports.again': '导入另一个文件',
  'pages.imports.step.choose': '选择文件',
  'pages.imports.step.check': '检查',
  'pages.imports.step.confirm': '确认导入',
  'pages.imports.rejected': '未导入：请按下表逐行修改后重新上传',
  'pages.imports.rowErrors': '行错误（共 {count} 条）',
  'pages.imports.row': '行号',
  'pages.imports.column': '列',
  'pages.imports.message': '问题',
  'pages.imports.checked': '检查通过：{rows} 行，{projects} 个项目，将记录 {events} 条事实',
  'pages.imports.nothingNew': '检查通过：{rows} 行均已记录过，导入不会新增内容',
  'pages.imports.imported': '已导入 {file}：{rows} 行，{projects} 个项目，记录了 {events} 条事实',
  'pages.imports.results': '逐行结果',
  'pages.imports.events': '记录的事实',
  'pages.imports.toProjects': '查看项目台账',
} as const;
