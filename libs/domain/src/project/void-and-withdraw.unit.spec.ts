import {
  given,
  list,
  listed,
  recordMilestone,
  reached,
  reportProgress,
  retract,
  retracted,
  sign,
  signed,
  terminate,
  terminated,
  voidProject,
  voided,
  withdrawListing,
  withdrawn,
} from '../testing/given-when-then';
import { projectAsOf } from './project.view';
import { foldProject } from './project.state';

const started = [
  signed('2023-02-22'),
  listed('signing', '2023-02-22'),
  reached('construction-started', '2023-05-01'),
  listed('construction', '2023-05-29'),
];

describe('VoidProject: a project recorded in error (作废)', () => {
  it('voids a signed project with its reason', () => {
    // given / when / then
    given(started)
      .when(voidProject('与 JZ-2024-010 重复录入'))
      .then([voided('与 JZ-2024-010 重复录入')]);
  });

  it('voids a terminated project too (it was never real)', () => {
    // given / when / then
    given([signed('2023-02-22'), terminated('2023-06-01')])
      .when(voidProject())
      .then([voided()]);
  });

  it('needs a reason', () => {
    // given / when / then
    given(started).when(voidProject(' ')).thenThrows('invalid', 'reason-required');
  });

  it('treats the same void again as a harmless retry', () => {
    // given / when / then
    given([...started, voided()])
      .when(voidProject())
      .thenNothing();
  });

  it('refuses voiding again for another reason', () => {
    // given / when / then
    given([...started, voided()])
      .when(voidProject('另一原因'))
      .thenThrows('conflict', 'project-voided');
  });

  it('refuses every other fact once voided, signing the same id again included', () => {
    // given
    const history = [...started, voided()];
    // when / then
    given(history)
      .when(recordMilestone('production-started', '2023-09-01'))
      .thenThrows('conflict', 'project-voided');
    given(history).when(reportProgress('2023-06', 1000)).thenThrows('conflict', 'project-voided');
    given(history).when(terminate('2023-07-01')).thenThrows('conflict', 'project-voided');
    given(history).when(sign('2023-02-22')).thenThrows('conflict', 'project-voided');
    given(history).when(withdrawListing('R-2023-02-22')).thenThrows('conflict', 'project-voided');
  });

  it('says so in both languages, naming the reason', () => {
    // given / when
    const error = given([...started, voided('重复录入')])
      .when(terminate('2023-07-01'))
      .thenThrows('conflict', 'project-voided');
    // then
    expect(error.text.zh).toContain('已作废');
    expect(error.text.zh).toContain('重复录入');
    expect(error.text.en).toContain('voided');
  });

  it('keeps the project visible as voided, and as it was when known before the void', () => {
    // given
    const history = [
      ...started.map((event) => ({ event, recordedAt: '2023-06-01T00:00:00.000Z' })),
      { event: voided(), recordedAt: '2023-07-01T00:00:00.000Z' },
    ];
    // when / then
    expect(projectAsOf(history)?.voided).toEqual({ reason: '重复录入' });
    expect(projectAsOf(history, undefined, '2023-06-30T00:00:00.000Z')?.voided).toBeUndefined();
  });
});

describe('WithdrawListing: a listing recorded in error', () => {
  it('withdraws the listing, saying which batch and date it had', () => {
    // given / when / then
    given(started)
      .when(withdrawListing('R-2023-05-29', '应列入下一次活动'))
      .then([withdrawn('construction', '2023-05-29', 'R-2023-05-29', '应列入下一次活动')]);
  });

  it('needs a reason', () => {
    // given / when / then
    given(started).when(withdrawListing('R-2023-05-29', '')).thenThrows('invalid', 'reason-required');
  });

  it('refuses withdrawing a listing that is not recorded (or already withdrawn)', () => {
    // given / when / then
    given(started).when(withdrawListing('R-2023-08-31')).thenThrows('conflict', 'listing-not-recorded');
    given([...started, withdrawn('construction', '2023-05-29')])
      .when(withdrawListing('R-2023-05-29'))
      .thenThrows('conflict', 'listing-not-recorded');
  });

  it('leaves the project out of that batch, so what the listing needed may be retracted', () => {
    // given
    const history = [...started, withdrawn('construction', '2023-05-29')];
    // when / then
    expect(foldProject(history)).toMatchObject({ listings: [{ roundId: 'R-2023-02-22', batch: 'signing' }] });
    given(history)
      .when(retract('construction-started'))
      .then([retracted('construction-started', '2023-05-01')]);
  });

  it('allows the project to be listed in the round again, in the right batch', () => {
    // given / when / then
    given([...started, withdrawn('construction', '2023-05-29')])
      .when(list('signing', '2023-05-29'))
      .then([listed('signing', '2023-05-29')]);
  });
});
