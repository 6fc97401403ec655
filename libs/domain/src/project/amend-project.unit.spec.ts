import { amend, amended, given, progressReported, signed } from '../testing/given-when-then';
import { ProjectDetails } from './project.events';

describe('AmendProject: changes of project details', () => {
  it('records the fields that change', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(amend({ name: '新名称', totalInvestmentWan: 500_000 }))
      // then
      .then([amended({ name: '新名称', totalInvestmentWan: 500_000 })]);
  });

  it('leaves out fields given with their current value', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(amend({ name: '年产10万吨新材料项目', industrial: false }))
      // then
      .then([amended({ industrial: false })]);
  });

  it('records nothing when nothing changes', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(amend({ totalInvestmentWan: 470_300 }))
      // then
      .thenNothing();
  });

  it('refuses a total investment below the investment already reported as completed', () => {
    // given
    given([signed('2023-02-22'), progressReported('2023-05', 200_000), progressReported('2023-09', 300_000)])
      // when
      .when(amend({ totalInvestmentWan: 299_999 }))
      // then
      .thenThrows('conflict', 'total-below-completed');
    given([signed('2023-02-22'), progressReported('2023-09', 300_000)])
      .when(amend({ totalInvestmentWan: 300_000 }))
      .then([amended({ totalInvestmentWan: 300_000 })]);
  });

  it('compares with the details as already amended', () => {
    // given
    given([signed('2023-02-22'), amended({ totalInvestmentWan: 500_000 })])
      // when
      .when(amend({ totalInvestmentWan: 500_000 }))
      // then
      .thenNothing();
  });

  it('accepts planned dates and the industry chain', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(amend({ plannedStartOn: '2024-03-01', industryChain: '新材料' }))
      // then
      .then([amended({ industryChain: '新材料', plannedStartOn: '2024-03-01' })]);
  });

  it('never changes the zone (or any field that is not a detail)', () => {
    // given
    const changes = { zoneId: 'Z2' } as unknown as Partial<ProjectDetails>;
    // when / then
    given([signed('2023-02-22')])
      .when(amend(changes))
      .thenThrows('invalid', 'not-amendable');
    given([signed('2023-02-22')])
      .when(amend({ signedOn: '2023-01-01' } as unknown as Partial<ProjectDetails>))
      .thenThrows('invalid', 'not-amendable');
  });

  it('needs a reason', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(amend({ name: '新名称' }, ''))
      .thenThrows('invalid', 'reason-required');
  });

  it('needs the total investment to stay a whole number of 万元 above 0', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(amend({ totalInvestmentWan: 0 }))
      .thenThrows('invalid', 'invalid-amount');
    given([signed('2023-02-22')])
      .when(amend({ totalInvestmentWan: 12.5 }))
      .thenThrows('invalid', 'invalid-amount');
  });

  it('needs the name and enterprise to stay non-empty', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(amend({ name: ' ' }))
      .thenThrows('invalid', 'required');
    given([signed('2023-02-22')])
      .when(amend({ enterprise: '' }))
      .thenThrows('invalid', 'required');
  });

  it('refuses planned dates that are not calendar dates', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(amend({ plannedProductionOn: '2023-02-29' }))
      .thenThrows('invalid', 'invalid-date');
  });
});
