// Where in the community a public-area ticket is (GET owner/locations:
// projects, buildings, units; a tree by parent_id) as van-cascader options,
// and the chosen location's text. Pure functions.

// A location with children is also choosable itself (a whole building):
// its first child stands for it.
const WHOLE = { project: '整个小区', building: '整栋' };
const SEPARATOR = ' / ';

// 2号楼 before 10号楼: the server orders codes as text.
function byCode(a, b) {
  const x = String(a.code || '');
  const y = String(b.code || '');
  const nx = parseInt(x, 10);
  const ny = parseInt(y, 10);
  if (!Number.isNaN(nx) && !Number.isNaN(ny) && nx !== ny) return nx - ny;
  if (x !== y) return x < y ? -1 : 1;
  return 0;
}

function nameOf(location) {
  return location.name || location.code || '';
}

// van-cascader finds the chosen path by value, so values are unique
// strings: a choosable location's value is its id, a group's `g<id>`.
function option(location, childrenOf) {
  const children = childrenOf(location.id);
  if (!children.length) return { text: nameOf(location), value: String(location.id) };
  const whole = { text: WHOLE[location.kind] || nameOf(location), value: String(location.id) };
  return {
    text: nameOf(location),
    value: `g${location.id}`,
    children: [whole].concat(children.map((c) => option(c, childrenOf))),
  };
}

// The cascader options of the locations of projectId (all projects
// without it). A single project is the area the owner already chose, so
// the options start at its buildings.
function locationOptions(locations, projectId) {
  const list = (locations || []).filter((l) => !projectId || l.project_id === projectId);
  const ids = new Set(list.map((l) => l.id));
  const children = new Map();
  list.forEach((l) => {
    const parent = ids.has(l.parent_id) ? l.parent_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(l);
  });
  const childrenOf = (id) => (children.get(id) || []).slice().sort(byCode);
  let roots = childrenOf(null);
  if (roots.length === 1 && roots[0].kind === 'project') roots = childrenOf(roots[0].id);
  return roots.map((l) => option(l, childrenOf));
}

// {id, project, label} of a location, label like "2号楼 / 1单元" (the
// project is named by the area choice), or null if it is not in the list.
function chosenLocation(locations, id) {
  const byId = new Map((locations || []).map((l) => [l.id, l]));
  const location = byId.get(id);
  if (!location) return null;
  const names = [];
  // bounded: a parent cycle in bad data must not hang the page
  for (let l = location, n = 0; l && n < byId.size; l = byId.get(l.parent_id), n += 1) {
    if (l.kind !== 'project' || l === location) names.unshift(nameOf(l));
  }
  return { id, project: location.project_id, label: names.join(SEPARATOR) };
}

module.exports = { locationOptions, chosenLocation };
