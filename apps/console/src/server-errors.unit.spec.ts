import { FieldErrorSink, applyServerErrors } from './server-errors';

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

  it("puts a rule error (409 without errors) on the field its code is about, in the console's words", () => {
    // given
    const { form, set } = recordingForm();
    // when
    const rest = applyServerErrors(
      form,
      {
        status: 409,
        code: 'milestone-out-of-order',
        detail: 'construction-started on 2023-01-01 would precede signed on 2023-02-22',
      },
      {
        fields,
        fieldOfCode: { 'milestone-out-of-order': 'occurredOn' },
        messageOf: (code) => (code === 'milestone-out-of-order' ? '日期早于它所依赖的环节' : undefined),
      },
    );
    // then
    expect(set).toEqual([{ name: 'occurredOn', errors: ['日期早于它所依赖的环节'] }]);
    expect(rest).toEqual([]);
  });

  it("keeps the server's detail when the console has no words for the code", () => {
    const { form, set } = recordingForm();
    const rest = applyServerErrors(
      form,
      { status: 409, code: 'project-terminated', detail: 'project was terminated on 2023-06-01' },
      { fields, fieldOfCode: { 'project-terminated': 'occurredOn' } },
    );
    expect(set).toEqual([{ name: 'occurredOn', errors: ['project was terminated on 2023-06-01'] }]);
    expect(rest).toEqual([]);
  });

  it('returns a problem that names no field as a message for the whole form', () => {
    const { form, set } = recordingForm();
    const rest = applyServerErrors(
      form,
      { status: 412, code: 'revision-mismatch', detail: 'If-Match revision 2 does not match' },
      {
        fields,
        messageOf: (code) => (code === 'revision-mismatch' ? '项目已被他人修改，请刷新' : undefined),
      },
    );
    expect(set).toEqual([]);
    expect(rest).toEqual(['项目已被他人修改，请刷新']);
  });
});
