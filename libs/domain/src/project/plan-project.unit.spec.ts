import {
  amend,
  annualInvestmentPlanned,
  given,
  planAnnualInvestment,
  plannedDatesSet,
  setPlannedDates,
  sign,
  signed,
} from '../testing/given-when-then';

describe('SetPlannedDates: planned start and production after signing', () => {
  it('sets planned dates without a reason the first time (they may lie in the future)', () => {
    given([signed('2023-02-22')])
      .when(setPlannedDates({ plannedStartOn: '2024-03-01', plannedProductionOn: '2025-06-30' }))
      .then([plannedDatesSet({ plannedStartOn: '2024-03-01', plannedProductionOn: '2025-06-30' })]);
  });

  it('changing a planned date needs a reason, and records only what changes', () => {
    const history = [signed('2023-02-22'), plannedDatesSet({ plannedStartOn: '2023-06-01' })];
    given(history)
      .when(setPlannedDates({ plannedStartOn: '2023-09-01' }))
      .thenThrows('invalid', 'reason-required');
    given(history)
      .when(
        setPlannedDates({ plannedStartOn: '2023-09-01', plannedProductionOn: '2024-06-30' }, '用地未落实'),
      )
      .then([
        plannedDatesSet({ plannedStartOn: '2023-09-01', plannedProductionOn: '2024-06-30' }, '用地未落实'),
      ]);
    given(history)
      .when(setPlannedDates({ plannedStartOn: '2023-06-01' }))
      .thenNothing();
  });

  it('refuses planned production before planned start, also against the date already planned', () => {
    given([signed('2023-02-22')])
      .when(setPlannedDates({ plannedStartOn: '2024-03-01', plannedProductionOn: '2024-02-01' }))
      .thenThrows('invalid', 'planned-production-before-start');
    given([signed('2023-02-22'), plannedDatesSet({ plannedStartOn: '2024-03-01' })])
      .when(setPlannedDates({ plannedProductionOn: '2024-02-01' }))
      .thenThrows('invalid', 'planned-production-before-start');
    given([])
      .when(sign('2023-02-22', { plannedStartOn: '2024-03-01', plannedProductionOn: '2024-02-01' }))
      .thenThrows('invalid', 'planned-production-before-start');
    given([signed('2023-02-22', { plannedStartOn: '2024-03-01' })])
      .when(amend({ plannedProductionOn: '2024-02-01' }))
      .thenThrows('invalid', 'planned-production-before-start');
  });

  it('refuses a command with no date and a date that is not YYYY-MM-DD', () => {
    given([signed('2023-02-22')])
      .when(setPlannedDates({}))
      .thenThrows('invalid', 'required');
    given([signed('2023-02-22')])
      .when(setPlannedDates({ plannedStartOn: '2024-3-1' }))
      .thenThrows('invalid', 'invalid-date');
  });
});

describe('PlanAnnualInvestment: 年度计划投资', () => {
  it('records the plan of a year; a change says why; the same figure again is a retry', () => {
    given([signed('2023-02-22')])
      .when(planAnnualInvestment(2024, 80_000))
      .then([annualInvestmentPlanned(2024, 80_000)]);
    const history = [signed('2023-02-22'), annualInvestmentPlanned(2024, 80_000)];
    given(history).when(planAnnualInvestment(2024, 60_000)).thenThrows('invalid', 'reason-required');
    given(history)
      .when(planAnnualInvestment(2024, 60_000, '资金调整'))
      .then([annualInvestmentPlanned(2024, 60_000, '资金调整')]);
    given(history).when(planAnnualInvestment(2024, 80_000)).thenNothing();
    given(history)
      .when(planAnnualInvestment(2025, 90_000))
      .then([annualInvestmentPlanned(2025, 90_000)]);
  });

  it('refuses a negative or fractional amount and a year that is not one', () => {
    given([signed('2023-02-22')])
      .when(planAnnualInvestment(2024, -1))
      .thenThrows('invalid', 'invalid-amount');
    given([signed('2023-02-22')])
      .when(planAnnualInvestment(2024, 0.5))
      .thenThrows('invalid', 'invalid-amount');
    given([signed('2023-02-22')])
      .when(planAnnualInvestment(24, 1))
      .thenThrows('invalid', 'invalid-year');
  });
});
