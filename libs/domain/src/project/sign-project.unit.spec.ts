import { given, sign, signed, TODAY } from '../testing/given-when-then';

describe('SignProject (签约): the first fact of a project', () => {
  it('records the signing of an unknown project', () => {
    // given
    given([])
      // when
      .when(sign('2023-02-22'))
      // then
      .then([signed('2023-02-22')]);
  });

  it('defaults the strategic-emerging flag (战新) to false', () => {
    // given
    given([])
      // when
      .when(sign('2023-02-22', { strategicEmerging: undefined }))
      // then
      .then([signed('2023-02-22', { strategicEmerging: false })]);
  });

  it('may be signed today but not on a future date', () => {
    // given
    given([])
      // when
      .when(sign(TODAY))
      // then
      .then([signed(TODAY)]);
    given([]).when(sign('2023-12-16')).thenThrows('invalid', 'future-date');
  });

  it('refuses a signing date that is not a calendar date', () => {
    // given / when / then
    given([]).when(sign('2023-02-29')).thenThrows('invalid', 'invalid-date');
    given([]).when(sign('2023/02/22')).thenThrows('invalid', 'invalid-date');
  });

  it('refuses a project id outside the safe alphabet', () => {
    // given / when / then
    given([])
      .when(sign('2023-02-22', { projectId: 'a/b' }))
      .thenThrows('invalid', 'invalid-id');
  });

  it('needs a name and an enterprise', () => {
    // given / when / then
    given([])
      .when(sign('2023-02-22', { name: '  ' }))
      .thenThrows('invalid', 'required');
    given([])
      .when(sign('2023-02-22', { enterprise: '' }))
      .thenThrows('invalid', 'required');
  });

  it('needs a total investment that is a whole number of 万元 above 0', () => {
    // given / when / then
    given([])
      .when(sign('2023-02-22', { totalInvestmentWan: 0 }))
      .thenThrows('invalid', 'invalid-amount');
    given([])
      .when(sign('2023-02-22', { totalInvestmentWan: 1.5 }))
      .thenThrows('invalid', 'invalid-amount');
    given([])
      .when(sign('2023-02-22', { totalInvestmentWan: -1 }))
      .thenThrows('invalid', 'invalid-amount');
  });

  it('refuses planned dates that are not calendar dates', () => {
    // given / when / then
    given([])
      .when(sign('2023-02-22', { plannedStartOn: '2023-13-01' }))
      .thenThrows('invalid', 'invalid-date');
  });

  it('treats an identical repeat as a harmless retry', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(sign('2023-02-22'))
      // then
      .thenNothing();
  });

  it('treats an identical repeat that omits strategicEmerging as the same signing', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(sign('2023-02-22', { strategicEmerging: undefined }))
      // then
      .thenNothing();
  });

  it('refuses signing an existing project again with other details', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(sign('2023-02-23'))
      // then
      .thenThrows('conflict', 'project-exists');
    given([signed('2023-02-22')])
      .when(sign('2023-02-22', { name: '另一个项目' }))
      .thenThrows('conflict', 'project-exists');
  });

  it('compares every recorded field of a repeat, optional ones included', () => {
    // given
    const planned = signed('2023-02-22', { plannedStartOn: '2023-03-01', industryChain: '新能源' });
    // when / then
    given([planned])
      .when(sign('2023-02-22', { industryChain: '新能源', plannedStartOn: '2023-03-01' }))
      .thenNothing();
    given([planned])
      .when(sign('2023-02-22', { plannedStartOn: undefined, industryChain: '新能源' }))
      .thenThrows('conflict', 'project-exists');
    given([planned])
      .when(
        sign('2023-02-22', {
          plannedStartOn: '2023-03-01',
          industryChain: '新能源',
          plannedProductionOn: '2024-01-01',
        }),
      )
      .thenThrows('conflict', 'project-exists');
    given([signed('2023-02-22')])
      .when(sign('2023-02-22', { zoneId: 'another-zone' }))
      .thenThrows('conflict', 'project-exists');
    given([signed('2023-02-22')])
      .when(sign('2023-02-22', { totalInvestmentWan: 1 }))
      .thenThrows('conflict', 'project-exists');
  });
});
