import { DomainError } from '../shared/domain-error';
import { Zone, ZoneState, decideZone, evolveZone, sameFields, zoneStreamId } from './zone';

const jinzhong: Zone = {
  id: 'jz-kfq',
  name: '晋中开发区',
  cityId: '晋中',
  category: 'industrial',
  level: 'national',
};

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('zones (开发区)', () => {
  it('registers an unknown zone', () => {
    // given
    const state: ZoneState = null;
    // when
    const events = decideZone({ type: 'RegisterZone', data: jinzhong }, state);
    // then
    expect(events).toEqual([{ type: 'ZoneRegistered', data: jinzhong }]);
    expect(evolveZone(state, events[0])).toEqual(jinzhong);
  });

  it('treats registering the same zone again as a harmless retry', () => {
    // given
    const state = evolveZone(null, { type: 'ZoneRegistered', data: jinzhong });
    // when
    const events = decideZone({ type: 'RegisterZone', data: { ...jinzhong } }, state);
    // then
    expect(events).toEqual([]);
  });

  it('refuses registering the zone again with other details', () => {
    // given
    const state = evolveZone(null, { type: 'ZoneRegistered', data: jinzhong });
    // when
    const error = thrown(() =>
      decideZone({ type: 'RegisterZone', data: { ...jinzhong, level: 'provincial' } }, state),
    );
    // then
    expect(error).toBeInstanceOf(DomainError);
    expect({ kind: error.kind, code: error.code }).toEqual({ kind: 'conflict', code: 'zone-exists' });
  });

  it('compares fields treating absent and undefined alike', () => {
    // given / when / then
    expect(sameFields({ a: 1, b: undefined } as { a: number; b?: number }, { a: 1 })).toBe(true);
    expect(sameFields({ a: 1, b: 2 } as { a: number; b?: number }, { a: 1 })).toBe(false);
  });

  it('lives on its own stream', () => {
    expect(zoneStreamId('jz-kfq')).toBe('zone-jz-kfq');
  });
});
