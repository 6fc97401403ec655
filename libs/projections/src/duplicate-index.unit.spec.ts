import { possibleDuplicates } from '@app/domain';
import { DuplicateIndex } from './duplicate-index';
import { LifecycleReadModel } from './lifecycle-read-model';
import { HistoryBuilder } from './testing/history-builder';

describe('the duplicate index (candidates for the possible-duplicate warning)', () => {
  const candidate = (projectId: string, name: string, zoneId = 'jz') => ({
    projectId,
    zoneId,
    name,
    enterprise: 'e',
  });

  it('finds what the full scan finds, and follows amendments and voids', () => {
    // given: an index subscribed before the facts arrive
    const model = new LifecycleReadModel();
    const index = new DuplicateIndex(model);
    const history = new HistoryBuilder()
      .zone({ id: 'jz' })
      .zone({ id: 'yq' })
      .sign('JZ-2024-010', 'jz', 470_300)
      .sign('JZ-2024-011', 'jz', 100)
      .sign('YQ-1', 'yq', 100)
      .amend('JZ-2024-011', { name: '智能制造产业园' })
      .sign('JZ-VOID', 'jz', 100)
      .amend('JZ-VOID', { name: '光伏组件项目' })
      .void('JZ-VOID');
    model.apply(history.events);
    const probes = [
      candidate('JZ-2O24-010', '另一个名称'),
      candidate('JZ-9', '智能制造 产业园'),
      candidate('JZ-9', 'JZ-2024-010'),
      candidate('YQ-2', 'YQ-1', 'yq'),
      candidate('JZ-10', '光伏组件项目'),
      candidate('TG-1', '智能制造产业园', 'tg'),
    ];
    // when / then
    for (const probe of probes) {
      expect(possibleDuplicates(probe, index.candidatesFor(probe))).toEqual(
        possibleDuplicates(probe, model.snapshots()),
      );
    }
    expect(possibleDuplicates(probes[0], index.candidatesFor(probes[0])).map((d) => d.projectId)).toEqual([
      'JZ-2024-010',
    ]);
    expect(possibleDuplicates(probes[1], index.candidatesFor(probes[1])).map((d) => d.projectId)).toEqual([
      'JZ-2024-011',
    ]);
    expect(index.candidatesFor(probes[4])).toEqual([]);
  });

  it('indexes the projects a model already holds, and empties on reset', () => {
    // given
    const model = new LifecycleReadModel();
    model.apply(new HistoryBuilder().zone({ id: 'jz' }).sign('P-1', 'jz', 100).events);
    // when
    const index = new DuplicateIndex(model);
    // then
    expect(index.candidatesFor(candidate('P-I', 'x')).map((p) => p.projectId)).toEqual(['P-1']);
    model.reset();
    expect(index.candidatesFor(candidate('P-I', 'x'))).toEqual([]);
  });
});
