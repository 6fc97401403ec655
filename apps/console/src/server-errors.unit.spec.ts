import {
  FieldErrorSink,
  applyServerErrors,
  chineseFirstOf,
  inLanguage,
  localizeProblem,
  rowErrorsOf,
} from './server-errors';

function recordingForm() {
  const set: { name: string; errors: string[] }[] = [];
  const form: FieldErrorSink = { setFields: (fields) => set.push(...fields) };
  return { form, set };
}

const fields = ['milestone', 'occurredOn'] as const;

describe('applyServerErrors(form, problem)', () => {
  it('sets each field error of a 400 on its field, two messages on one field together', () => {
    // given
    const { form, set } = recordingForm();
    // when
    const rest = applyServerErrors(
      form,
      {
        status: 400,
        detail: 'invalid',
        code: 'invalid-input',
        errors: [
          { field: 'occurredOn', message: '日期格式应为 YYYY-MM-DD' },
          { field: 'data.occurredOn', message: '日期不能晚于今天' },
          { field: 'milestone[0]', message: '未知环节' },
        ],
      },
      { fields },
    );
    // then
    expect(set).toEqual([
      { name: 'occurredOn', errors: ['日期格式应为 YYYY-MM-DD', '日期不能晚于今天'] },
      { name: 'milestone', errors: ['未知环节'] },
    ]);
    expect(rest).toEqual([]);
  });

  it('returns the errors of fields the form does not have, to show above it', () => {
    const { form, set } = recordingForm();
    const rest = applyServerErrors(
      form,
      { status: 400, errors: [{ field: 'If-Match', message: 'must be a revision' }] },
      { fields },
    );
    expect(set).toEqual([]);
    expect(rest).toEqual(['must be a revision']);
  });

  it("puts a rule error (409 without errors) on the field its code is about, in the server's words", () => {
    // given
    const { form, set } = recordingForm();
    // when
    const rest = applyServerErrors(
      form,
      {
        status: 409,
        code: 'milestone-out-of-order',
        detail: '开工日期 2023-01-01 早于签约日期 2023-02-22',
      },
      {
        fields,
        fieldOfCode: { 'milestone-out-of-order': 'occurredOn' },
        fallback: () => 'console words',
      },
    );
    // then
    expect(set).toEqual([{ name: 'occurredOn', errors: ['开工日期 2023-01-01 早于签约日期 2023-02-22'] }]);
    expect(rest).toEqual([]);
  });

  it('returns a problem that names no field as a message for the whole form', () => {
    const { form, set } = recordingForm();
    const rest = applyServerErrors(
      form,
      { status: 412, code: 'revision-mismatch', detail: '版本不符：项目已是第 3 版' },
      { fields },
    );
    expect(set).toEqual([]);
    expect(rest).toEqual(['版本不符：项目已是第 3 版']);
  });

  it("uses the console's own words only for a problem the server did not write (network)", () => {
    const { form, set } = recordingForm();
    const rest = applyServerErrors(
      form,
      { status: 0, code: 'network' },
      { fields, fallback: (problem) => (problem.code === 'network' ? '无法连接服务器' : undefined) },
    );
    expect(set).toEqual([]);
    expect(rest).toEqual(['无法连接服务器']);
  });

  it('leaves row errors of an import to the import page', () => {
    const { form, set } = recordingForm();
    const problem = {
      status: 400,
      code: 'import-rejected',
      detail: '导入被拒绝',
      errors: [{ row: 4, column: 'signedOn', message: '日期格式错误' }],
    };
    const rest = applyServerErrors(form, problem, { fields });
    expect(set).toEqual([]);
    expect(rest).toEqual(['导入被拒绝']);
    expect(rowErrorsOf(problem)).toEqual([{ row: 4, column: 'signedOn', message: '日期格式错误' }]);
  });
});

describe('inLanguage(text, language, chineseFirst)', () => {
  it('picks the Chinese or the English of "中文 / English", in either order', () => {
    expect(inLanguage('开工需先签约 / construction needs signing first', 'zh-CN', true)).toBe('开工需先签约');
    expect(inLanguage('开工需先签约 / construction needs signing first', 'en-US', true)).toBe(
      'construction needs signing first',
    );
    expect(inLanguage('construction needs signing first / 开工需先签约', 'zh-CN', false)).toBe(
      '开工需先签约',
    );
    expect(inLanguage('construction needs signing first / 开工需先签约', 'en-US', false)).toBe(
      'construction needs signing first',
    );
  });

  it('keeps an English " / " inside the English part', () => {
    expect(inLanguage('文件格式错误 / use .xlsx / .csv', 'en-US', true)).toBe('use .xlsx / .csv');
    expect(inLanguage('use .xlsx / .csv / 文件格式错误', 'en-US', false)).toBe('use .xlsx / .csv');
    expect(inLanguage('use .xlsx / .csv / 文件格式错误', 'zh-CN', false)).toBe('文件格式错误');
  });

  it('returns a text in one language as it is', () => {
    expect(inLanguage('Forbidden', 'zh-CN', true)).toBe('Forbidden');
  });
});

describe('localizeProblem(problem, language, chineseFirst)', () => {
  it('localizes the detail and field messages by the response order, row messages as Chinese first', () => {
    // given: an English-first answer
    const problem = {
      status: 400,
      detail: 'invalid request / 请求无效',
      errors: [
        { field: 'occurredOn', message: 'must be YYYY-MM-DD / 格式应为 YYYY-MM-DD' },
        { row: 3, column: 'name', message: '必填 / required' },
      ],
    };
    // when
    const zh = localizeProblem(problem, 'zh-CN', chineseFirstOf('en, zh'));
    const en = localizeProblem(problem, 'en-US', chineseFirstOf('en, zh'));
    // then
    expect(zh).toEqual({
      status: 400,
      detail: '请求无效',
      errors: [
        { field: 'occurredOn', message: '格式应为 YYYY-MM-DD' },
        { row: 3, column: 'name', message: '必填' },
      ],
    });
    expect(en.detail).toBe('invalid request');
    expect(en.errors).toEqual([
      { field: 'occurredOn', message: 'must be YYYY-MM-DD' },
      { row: 3, column: 'name', message: 'required' },
    ]);
  });

  it('reads Chinese first when the response names no language', () => {
    expect(chineseFirstOf(null)).toBe(true);
    expect(chineseFirstOf('zh, en')).toBe(true);
    expect(chineseFirstOf('en, zh')).toBe(false);
  });
});
