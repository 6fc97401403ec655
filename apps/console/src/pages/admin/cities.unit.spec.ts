import { Zone } from '../../services/types';
import { citiesOf } from './cities';

const zone = (id: string, cityId: string): Zone => ({
  id,
  name: `${id}区`,
  cityId,
  category: 'industrial',
  level: 'provincial',
});

describe('the cities the zones belong to', () => {
  it('lists each city once with its zones, cities in code-point order', () => {
    // when
    const cities = citiesOf([zone('z1', 'linfen'), zone('z2', 'jinzhong'), zone('z3', 'linfen')]);
    // then
    expect(cities.map((city) => [city.cityId, city.zones.map((z) => z.id)])).toEqual([
      ['jinzhong', ['z2']],
      ['linfen', ['z1', 'z3']],
    ]);
  });
});
