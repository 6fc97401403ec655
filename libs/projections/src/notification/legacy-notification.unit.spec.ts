import { LifecycleReadModel } from '../lifecycle-read-model';
import { legacyHistory } from '../testing/legacy-history';
import legacyIssues from '../testing/legacy-issues.json';
import { contentHashOf } from './canonical-json';
import { NotificationContent, NotificationInput, composeNotification } from './compose-notification';
import { DEFAULT_NOTIFICATION_SETTINGS } from './notification-settings';
import { recompose } from './notification-verification';

/**
 * Two issues (October and November 2023) composed by the code before issue 10 from
 * `legacyHistory()` and stored as issued (testing/legacy-issues.json): they must still verify.
 */
describe('notifications issued before issue 10 still verify', () => {
  const events = legacyHistory().events;
  const modelThrough = (position: number) => {
    const model = new LifecycleReadModel();
    model.apply(events.filter((event) => event.position <= position));
    return model;
  };
  const issues = legacyIssues as unknown as { content: NotificationContent; contentHash: string }[];
  const inputOf = (i: number, content = issues[i].content): NotificationInput => ({
    month: content.month,
    issue: content.issue,
    knownAt: content.knownAt,
    knownThroughPosition: content.knownThroughPosition,
    settings: content.settings,
    previous: i > 0 ? issues[i - 1].content : undefined,
  });

  it('recomputes each with the settings it was issued under (the year cohort, linear warnings) to its hash', () => {
    for (const [i, { content, contentHash }] of issues.entries()) {
      expect(content.settings).not.toHaveProperty('basis');
      expect(contentHashOf(content)).toBe(contentHash);
      const model = modelThrough(content.knownThroughPosition);
      expect(contentHashOf(recompose(model, inputOf(i)))).toBe(contentHash);
      // today's composition would not reproduce it
      expect(contentHashOf(composeNotification(model, inputOf(i)))).not.toBe(contentHash);
    }
  });

  it('a different log does not verify', () => {
    const november = issues[1].content;
    const model = modelThrough(november.knownThroughPosition - 1);
    expect(contentHashOf(recompose(model, inputOf(1)))).not.toBe(issues[1].contentHash);
  });

  it('a new issue after them recomputes the previous one with its own (year) cohort', () => {
    const model = modelThrough(events.length);
    const december = composeNotification(model, {
      month: '2023-12',
      issue: 3,
      knownAt: '2024-01-01T02:00:00.000Z',
      knownThroughPosition: model.position,
      settings: { ...DEFAULT_NOTIFICATION_SETTINGS, cohort: 'year' },
      previous: issues[1].content,
    });
    expect(december.changesAboutEarlierMonths.correctedRates).toEqual([]);
    expect(december.cohort.kind).toBe('year');
  });
});
