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
