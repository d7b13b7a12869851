const { LOCATIONS } = require('./fixtures');
const { locationOptions, chosenLocation } = require('../miniprogram/domains/tickets/locations');

const { locations } = LOCATIONS;
// text and value of each option, children nested
const shape = (options) => options.map((o) => (o.children
  ? [o.text, o.value, shape(o.children)] : [o.text, o.value]));

describe('domains/tickets/locations', () => {
  test('one project: starts at its buildings, numbers in order, a building with units is choosable whole', () => {
    expect(shape(locationOptions(locations, 358))).toEqual([
      ['2号楼', 'g1378', [['整栋', '1378'], ['1单元', '181'], ['2单元', '182']]],
      ['10号楼', '1380'],
    ]);
    expect(shape(locationOptions(locations, 400))).toEqual([['1幢', '2001']]);
    // the only project of the owner, without naming it
    expect(shape(locationOptions(locations.filter((l) => l.project_id === 400)))).toEqual([['1幢', '2001']]);
  });

  test('several projects: projects first, each choosable whole', () => {
    const options = locationOptions(locations);
    expect(options.map((o) => [o.text, o.value])).toEqual([['翠湖花园', 'g1074'], ['江南苑', 'g2000']]);
    expect(shape(options[1].children)).toEqual([['整个小区', '2000'], ['1幢', '2001']]);
    // values are unique: van-cascader finds the chosen path by value
    const values = [];
    const walk = (list) => list.forEach((o) => { values.push(o.value); if (o.children) walk(o.children); });
    walk(options);
    expect(new Set(values).size).toBe(values.length);
  });

  test('nothing to offer: no locations, or none in the project', () => {
    expect(locationOptions([], 358)).toEqual([]);
    expect(locationOptions(undefined)).toEqual([]);
    expect(locationOptions(locations, 999)).toEqual([]);
    // a project without buildings is choosable itself
    expect(shape(locationOptions([locations[0], locations[1]]))).toEqual([['翠湖花园', '1074'], ['江南苑', '2000']]);
  });

  test('the chosen location: its project and its text below the project', () => {
    expect(chosenLocation(locations, 181)).toEqual({ id: 181, project: 358, label: '2号楼 / 1单元' });
    expect(chosenLocation(locations, 1378)).toEqual({ id: 1378, project: 358, label: '2号楼' });
    expect(chosenLocation(locations, 1074)).toEqual({ id: 1074, project: 358, label: '翠湖花园' });
    expect(chosenLocation(locations, 5)).toBeNull();
    // a name missing: the code stands for it; a parent cycle does not hang
    expect(chosenLocation([{ id: 1, kind: 'building', name: null, code: '7', project_id: 1, parent_id: 2 },
      { id: 2, kind: 'unit', name: '1单元', code: '1', project_id: 1, parent_id: 1 }], 1).label).toBe('1单元 / 7');
  });
});
