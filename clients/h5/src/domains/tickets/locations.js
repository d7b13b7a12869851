// Where in the community a public-area ticket is (GET owner/locations):
// the owner's projects, their buildings and units, as a tree by parent_id.
// This module turns the server's flat list into the options of a Vant
// Cascader and names a chosen location; the server checks the choice.

// The cascader ends only on a leaf, so a project or building with children
// gets a first option naming itself as a whole: "2号楼 › 整栋" picks 2号楼.
const WHOLE = { project: '整个小区', building: '整栋' }
const WHOLE_PREFIX = 'whole-'

function tree(locations) {
  const byId = new Map(locations.map((l) => [l.id, { ...l, children: [] }]))
  const roots = []
  for (const node of byId.values()) {
    // a parent the list does not hold: the node stands at the top
    const parent = byId.get(node.parent_id)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return { byId, roots }
}

// An owner of one project does not choose it: the cascader starts at its
// buildings and the labels leave its name out.
function singleRoot(roots) {
  return roots.length === 1 && roots[0].children.length ? roots[0] : null
}

function option(node) {
  const base = { text: node.name || node.code || '', value: node.id, location: node.id }
  if (!node.children.length) return base
  return { ...base, children: withWhole(node) }
}

function withWhole(node) {
  const whole = { text: WHOLE[node.kind] || '全部', value: WHOLE_PREFIX + node.id, location: node.id }
  return [whole, ...node.children.map(option)]
}

// locations of the server → [{ text, value, location, children? }]; the
// `location` of the option the cascader finishes on is the id to send
export function locationOptions(locations = []) {
  const { roots } = tree(locations)
  const single = singleRoot(roots)
  return single ? withWhole(single) : roots.map(option)
}

// The cascader value showing `id` as chosen: a location with children was
// chosen through its "whole" option
export function cascaderValue(locations = [], id) {
  const { byId } = tree(locations)
  const node = byId.get(id)
  if (!node) return null
  return node.children.length ? WHOLE_PREFIX + id : id
}

// "2号楼 / 1单元" (one project), "翠湖花园 / 2号楼" (several), '' if unknown
export function locationLabel(locations = [], id) {
  const { byId, roots } = tree(locations)
  const path = []
  // a broken list (a parent of itself) must not loop
  for (let node = byId.get(id); node && !path.includes(node); node = byId.get(node.parent_id)) path.unshift(node)
  const single = singleRoot(roots)
  if (single && path.length > 1 && path[0] === single) path.shift()
  return path.map((n) => n.name || n.code || '').join(' / ')
}

// The project of a location (a ticket at a location is in its project)
export function locationProject(locations = [], id) {
  return locations.find((l) => l.id === id)?.project_id ?? null
}
