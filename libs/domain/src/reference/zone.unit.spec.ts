import { givenZone } from '../testing/given-when-then';
import { Zone, ZoneRegistered, evolveZone, sameFields, zoneStreamId } from './zone';

const jinzhong: Zone = {
  id: 'jz-kfq',
  name: '晋中开发区',
  cityId: '晋中',
  category: 'industrial',
  level: 'national',
};
const registered: ZoneRegistered = { type: 'ZoneRegistered', data: jinzhong };

describe('zones (开发区)', () => {
  it('registers an unknown zone', () => {
    // given
    givenZone([])
      // when
      .when({ type: 'RegisterZone', data: jinzhong })
      // then
      .then([registered]);
  });

  it('folds the registration into the zone', () => {
    // given / when / then
    expect(evolveZone(null, registered)).toEqual(jinzhong);
  });

  it('treats registering the same zone again as a harmless retry', () => {
    // given
    givenZone([registered])
      // when
      .when({ type: 'RegisterZone', data: { ...jinzhong } })
      // then
      .thenNothing();
  });

  it('refuses registering the zone again with other details', () => {
    // given
    givenZone([registered])
      // when
      .when({ type: 'RegisterZone', data: { ...jinzhong, level: 'provincial' } })
      // then
      .thenThrows('conflict', 'zone-exists');
    givenZone([registered])
      .when({ type: 'RegisterZone', data: { ...jinzhong, cityId: '阳泉' } })
      .thenThrows('conflict', 'zone-exists');
  });

  it('compares fields treating absent and undefined alike', () => {
    // given / when / then
    expect(sameFields({ a: 1, b: undefined } as { a: number; b?: number }, { a: 1 })).toBe(true);
    expect(sameFields({ a: 1, b: 2 } as { a: number; b?: number }, { a: 1 })).toBe(false);
    expect(sameFields({ a: 1 } as { a: number; b?: number }, { a: 1, b: 2 })).toBe(false);
  });

  it('lives on its own stream', () => {
    expect(zoneStreamId('jz-kfq')).toBe('zone-jz-kfq');
  });
});

describe('correcting a zone registered with wrong details', () => {
  const correct = (changes: Partial<Zone>, reason = '名称登记有误') => ({
    type: 'CorrectZone' as const,
    data: { id: 'jz-kfq', changes, reason },
  });

  it('records what changed, what it was, and why', () => {
    // given / when / then
    givenZone([registered])
      .when(correct({ name: '晋中国家级开发区', level: 'national', cityId: '晋中' }))
      .then([
        {
          type: 'ZoneCorrected',
          data: {
            id: 'jz-kfq',
            changes: { name: '晋中国家级开发区' },
            previous: { name: '晋中开发区' },
            reason: '名称登记有误',
          },
        },
      ]);
  });

  it('folds the correction into the zone', () => {
    // given
    const state = evolveZone(evolveZone(null, registered), {
      type: 'ZoneCorrected',
      data: { id: 'jz-kfq', changes: { cityId: '阳泉' }, previous: { cityId: '晋中' }, reason: 'r' },
    });
    // then
    expect(state).toEqual({ ...jinzhong, cityId: '阳泉' });
  });

  it('treats a correction that changes nothing as a retry', () => {
    givenZone([registered])
      .when(correct({ name: '晋中开发区' }))
      .thenNothing();
  });

  it('needs a reason, a registered zone and valid values', () => {
    givenZone([registered])
      .when(correct({ name: 'x' }, ''))
      .thenThrows('invalid', 'reason-required');
    givenZone([])
      .when(correct({ name: 'x' }))
      .thenThrows('not-found', 'zone-not-found');
    givenZone([registered])
      .when(correct({ category: 'mining' as Zone['category'] }))
      .thenThrows('invalid', 'invalid-category');
    givenZone([registered])
      .when(correct({ level: 'city' as Zone['level'] }))
      .thenThrows('invalid', 'invalid-level');
    givenZone([registered])
      .when(correct({ name: ' ' }))
      .thenThrows('invalid', 'required');
  });
});
