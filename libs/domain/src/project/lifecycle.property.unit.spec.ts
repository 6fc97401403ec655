import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { monthOf } from '../shared/local-date';
import {
  amend,
  correctDate,
  list,
  recordMilestone,
  reportProgress,
  retract,
  sign,
  terminate,
  TODAY,
} from '../testing/given-when-then';
import { CORRECTABLE, DEPENDS_ON, MILESTONES, Milestone } from './milestones';
import { ProjectCommand } from './project.commands';
import { decideProject } from './project.decide';
import { BATCHES } from './project.events';
import { ProjectState, SignedProject, evolveProject, initialProjectState } from './project.state';

/** Days from 2022-12-01 to a little after TODAY, so some dates are in the future. */
const date = fc
  .integer({ min: 0, max: 400 })
  .map((days) => new Date(Date.UTC(2022, 11, 1) + days * 86_400_000).toISOString().slice(0, 10));
const maybeBadDate = fc.oneof(
  { weight: 20, arbitrary: date },
  { weight: 1, arbitrary: fc.constantFrom('2023-02-30', 'x', '') },
);
const month = date.map(monthOf);
const reason = fc.constantFrom('台账录入错误', '', '企业退出');
const milestone = fc.constantFrom(...MILESTONES);
const amount = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0.5) },
);
/** A few rounds, so the same round comes back with other batches; the last is not held yet. */
const roundDate = fc.constantFrom('2023-02-22', '2023-05-29', '2023-08-31', '2023-11-28', '2023-12-20');

const command: fc.Arbitrary<ProjectCommand> = fc.oneof(
  { weight: 1, arbitrary: maybeBadDate.map((d) => sign(d)) },
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...BATCHES), roundDate).map(([b, d]) => list(b, d)) },
  { weight: 6, arbitrary: fc.tuple(milestone, maybeBadDate).map(([m, d]) => recordMilestone(m, d)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...CORRECTABLE), maybeBadDate, reason)
      .map(([m, d, r]) => correctDate(m, d, r)),
  },
  { weight: 2, arbitrary: fc.tuple(milestone, reason).map(([m, r]) => retract(m, r)) },
  { weight: 2, arbitrary: fc.tuple(month, amount).map(([m, a]) => reportProgress(m, a)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(amount, fc.boolean(), reason)
      .map(([a, industrial, r]) => amend({ totalInvestmentWan: a, industrial }, r)),
  },
  { weight: 1, arbitrary: fc.tuple(maybeBadDate, reason).map(([d, r]) => terminate(d, r)) },
);

/** Mostly signed first, so the rest of the sequence has something to act on. */
const earlyDate = fc
  .integer({ min: 0, max: 120 })
  .map((days) => new Date(Date.UTC(2022, 11, 1) + days * 86_400_000).toISOString().slice(0, 10));
const sequence = fc
  .tuple(earlyDate, fc.array(command, { maxLength: 60 }))
  .map(([signedOn, rest]) => [sign(signedOn), ...rest]);

function checkInvariants(state: SignedProject): void {
  const { signedOn, milestones, listings, termination, investmentProgress } = state;
  expect(signedOn <= TODAY).toBe(true);
  for (const m of MILESTONES) {
    const on = milestones[m];
    if (on === undefined) continue;
    expect(on <= TODAY).toBe(true);
    const dependency = DEPENDS_ON[m];
    const dependencyOn = dependency === 'signed' ? signedOn : milestones[dependency];
    // each milestone has its dependency, dated on or before it
    expect(dependencyOn).toBeDefined();
    expect(dependencyOn! <= on).toBe(true);
    // no milestone after termination
    if (termination) expect(on <= termination.occurredOn).toBe(true);
  }
  const rounds = new Set<string>();
  for (const listing of listings) {
    expect(rounds.has(listing.roundId)).toBe(false);
    rounds.add(listing.roundId);
    expect(signedOn <= listing.heldOn).toBe(true);
    expect(listing.heldOn <= TODAY).toBe(true);
    const needs: Milestone | undefined =
      listing.batch === 'construction'
        ? 'construction-started'
        : listing.batch === 'production'
          ? 'production-started'
          : undefined;
    if (needs) {
      expect(milestones[needs]).toBeDefined();
      expect(milestones[needs]! <= listing.heldOn).toBe(true);
    }
    if (termination) expect(listing.heldOn <= termination.occurredOn).toBe(true);
  }
  if (termination) expect(signedOn <= termination.occurredOn).toBe(true);
  const months = Object.keys(investmentProgress).sort();
  for (const [i, m] of months.entries()) {
    expect(m >= monthOf(signedOn)).toBe(true);
    if (termination) expect(m <= monthOf(termination.occurredOn)).toBe(true);
    if (i > 0) expect(investmentProgress[months[i - 1]] <= investmentProgress[m]).toBe(true);
  }
}

describe('the lifecycle under random command sequences', () => {
  it('keeps every invariant in whatever decide accepts, and refuses only with DomainErrors', () => {
    fc.assert(
      fc.property(sequence, (commands) => {
        let state: ProjectState = initialProjectState();
        for (const cmd of commands) {
          let events;
          try {
            events = decideProject(cmd, state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect(['invalid', 'conflict', 'not-found']).toContain((error as DomainError).kind);
            continue;
          }
          state = events.reduce(evolveProject, state);
          expect(state.status).toBe('signed');
          checkInvariants(state as SignedProject);
          // a repeated request adds nothing (a retraction is not a request to repeat)
          if (cmd.type !== 'RetractMilestone') expect(decideProject(cmd, state)).toEqual([]);
          // nothing recorded stands in the way of terminating a project today
          if (!(state as SignedProject).termination)
            expect(decideProject(terminate(TODAY), state)).toHaveLength(1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses everything but signing on a project that does not exist', () => {
    fc.assert(
      fc.property(command, (cmd) => {
        fc.pre(cmd.type !== 'SignProject');
        expect(() => decideProject(cmd, initialProjectState())).toThrow(DomainError);
      }),
    );
  });
});
