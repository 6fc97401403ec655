import { AMENDABLE, refusesOutright } from './command-availability';
import { ProjectCommand } from './project.commands';
import { decideProject } from './project.decide';
import { ProjectEvent } from './project.events';
import { SignedProject, foldProject } from './project.state';
import {
  amend,
  given,
  recordMilestone,
  reached,
  reportProgress,
  retract,
  setPlannedDates,
  signed,
  terminate,
  terminated,
  voidProject,
  voided,
} from '../testing/given-when-then';

const stateOf = (events: ProjectEvent[]) => foldProject(events) as SignedProject;
const started = [signed('2023-02-22'), reached('construction-started', '2023-05-29')];

// One command of each kind a page offers on a signed project, each one the project would take.
const commands: ProjectCommand[] = [
  recordMilestone('production-started', '2023-06-10'),
  retract('construction-started'),
  reportProgress('2023-06', 500),
  setPlannedDates({ plannedProductionOn: '2024-06-30' }),
  amend({ name: '新名称' }),
  terminate('2023-06-30', '企业撤资'),
];

describe('commands a project refuses whatever they carry', () => {
  it('are none while the project is open: each sample command is taken', () => {
    for (const command of commands) {
      expect(refusesOutright(stateOf(started), command.type)).toBe(false);
      expect(decideProject(command, foldProject(started)).length).toBeGreaterThan(0);
    }
  });

  it('are every command once the project is voided, as the decider refuses each', () => {
    const history = [...started, voided('重复录入')];
    for (const command of commands) {
      expect(refusesOutright(stateOf(history), command.type)).toBe(true);
      given(history).when(command).thenThrows('conflict', 'project-voided');
    }
  });

  it('are a second termination once terminated; facts before the termination are still taken', () => {
    const history = [...started, terminated('2023-06-30')];
    const state = stateOf(history);
    expect(refusesOutright(state, 'TerminateProject')).toBe(true);
    given(history).when(terminate('2023-07-31', '另一原因')).thenThrows('conflict', 'project-terminated');
    expect(refusesOutright(state, 'RecordMilestone')).toBe(false);
    given(history)
      .when(recordMilestone('production-started', '2023-06-10'))
      .then([reached('production-started', '2023-06-10')]);
  });

  it('leave a voided project its repeated void, which records nothing', () => {
    given([...started, voided('重复录入')])
      .when(voidProject('重复录入'))
      .then([]);
  });

  it('amend only the listed details: another key is refused', () => {
    expect(AMENDABLE).toContain('totalInvestmentWan');
    given(started)
      .when(amend({ zoneId: 'Z2' } as never))
      .thenThrows('invalid', 'not-amendable');
  });
});
