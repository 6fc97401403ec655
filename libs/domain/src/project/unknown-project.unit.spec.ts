import {
  amend,
  correctDate,
  given,
  list,
  recordMilestone,
  reportProgress,
  retract,
  terminate,
} from '../testing/given-when-then';
import { ProjectCommand } from './project.commands';

describe('commands on a project that has not been signed', () => {
  it.each<[string, ProjectCommand]>([
    ['ListProject', list('signing', '2023-02-22')],
    ['RecordMilestone', recordMilestone('construction-started', '2023-03-01')],
    ['CorrectMilestoneDate', correctDate('signed', '2023-03-01')],
    ['RetractMilestone', retract('construction-started')],
    ['ReportInvestmentProgress', reportProgress('2023-03', 1)],
    ['AmendProject', amend({ name: '新名称' })],
    ['TerminateProject', terminate('2023-03-01')],
  ])('%s is refused as not found', (_type, command) => {
    // given
    given([])
      // when
      .when(command)
      // then
      .thenThrows('not-found', 'project-not-found');
  });
});
