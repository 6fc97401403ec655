import {
  PROJECT_ID,
  given,
  obstacleRecorded,
  obstacleResolved,
  recordObstacle,
  resolveObstacle,
  signed,
  updateObstacle,
} from '../testing/given-when-then';
import { ObstacleCategory } from './project.events';

describe('obstacles (问题协调) on the project stream', () => {
  it('records an obstacle with its category, description, responsible unit and measures', () => {
    given([signed('2023-02-22')])
      .when(recordObstacle('2023-05-01', { measures: '专班协调' }))
      .then([obstacleRecorded('2023-05-01', { measures: '专班协调' })]);
  });

  it('refuses an unknown category, a missing responsible unit, a future date and a date before signing', () => {
    given([signed('2023-02-22')])
      .when(recordObstacle('2023-05-01', { category: 'weather' as ObstacleCategory }))
      .thenThrows('invalid', 'invalid-category');
    given([signed('2023-02-22')])
      .when(recordObstacle('2023-05-01', { responsibleUnit: ' ' }))
      .thenThrows('invalid', 'required');
    given([signed('2023-02-22')])
      .when(recordObstacle('2024-05-01'))
      .thenThrows('invalid', 'future-date');
    given([signed('2023-02-22')])
      .when(recordObstacle('2023-01-01'))
      .thenThrows('conflict', 'obstacle-before-signing');
  });

  it('the same obstacle again is a retry; other details under its id conflict', () => {
    given([signed('2023-02-22'), obstacleRecorded('2023-05-01')])
      .when(recordObstacle('2023-05-01'))
      .thenNothing();
    given([signed('2023-02-22'), obstacleRecorded('2023-05-01')])
      .when(recordObstacle('2023-05-02'))
      .thenThrows('conflict', 'obstacle-exists');
  });

  it('updates an open obstacle with a reason, recording only what changes', () => {
    given([signed('2023-02-22'), obstacleRecorded('2023-05-01')])
      .when(updateObstacle({ category: 'permits', responsibleUnit: '自然资源局' }))
      .then([
        {
          type: 'ObstacleUpdated',
          data: {
            projectId: PROJECT_ID,
            obstacleId: 'O1',
            changes: { category: 'permits' },
            reason: '协调进展',
          },
        },
      ]);
    given([signed('2023-02-22'), obstacleRecorded('2023-05-01')])
      .when(updateObstacle({ category: 'weather' as ObstacleCategory }))
      .thenThrows('invalid', 'invalid-category');
    given([signed('2023-02-22')])
      .when(updateObstacle({ measures: 'x' }))
      .thenThrows('not-found', 'obstacle-not-found');
  });

  it('resolves once: resolving again (or updating) a resolved obstacle conflicts; the same resolution again is a retry', () => {
    const history = [signed('2023-02-22'), obstacleRecorded('2023-05-01')];
    given(history)
      .when(resolveObstacle('2023-08-01'))
      .then([obstacleResolved('2023-08-01')]);
    const resolved = [...history, obstacleResolved('2023-08-01')];
    given(resolved).when(resolveObstacle('2023-09-01')).thenThrows('conflict', 'obstacle-resolved');
    given(resolved)
      .when(resolveObstacle('2023-08-01', '另行处理'))
      .thenThrows('conflict', 'obstacle-resolved');
    given(resolved).when(resolveObstacle('2023-08-01')).thenNothing();
    given(resolved)
      .when(updateObstacle({ measures: '继续跟踪' }))
      .thenThrows('conflict', 'obstacle-resolved');
    given(history).when(resolveObstacle('2023-04-01')).thenThrows('conflict', 'resolution-before-obstacle');
  });
});
