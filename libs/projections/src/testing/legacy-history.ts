import { HistoryBuilder } from './history-builder';

/** A 2023 history issued under the settings of before issue 10 (the year's cohort, linear warnings). */
export function legacyHistory(): HistoryBuilder {
  return new HistoryBuilder()
    .at('2023-02-01T00:00:00Z')
    .zone({ id: 'z1', name: '晋中开发区', cityId: 'c1' })
    .zone({ id: 'z2', name: '临汾开发区', cityId: 'c2', category: 'agricultural' })
    .round('r0', '2022-11-20')
    .round('r1', '2023-02-22')
    .sign('old', 'z1', 80_000, { signedOn: '2022-11-20' })
    .list('old', 'r0', '2022-11-20', 'signing')
    .at('2023-02-23T00:00:00Z')
    .sign('a', 'z1', 300_000, { signedOn: '2023-02-22' })
    .list('a', 'r1', '2023-02-22', 'signing')
    .sign('b', 'z1', 100_000, { signedOn: '2023-02-22' })
    .list('b', 'r1', '2023-02-22', 'signing')
    .sign('c', 'z2', 600_000, { signedOn: '2023-02-22' })
    .list('c', 'r1', '2023-02-22', 'signing')
    .sign('unlisted', 'z2', 5_000, { signedOn: '2023-03-01' })
    .at('2023-10-09T00:00:00Z')
    .reach('a', 'construction-started', '2023-10-08')
    .at('2023-11-05T00:00:00Z')
    .reach('b', 'construction-started', '2023-10-20')
    .correct('a', 'construction-started', '2023-11-02', '2023-10-08');
}
