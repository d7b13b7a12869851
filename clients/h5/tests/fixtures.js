// Answers of the server shared by several specs (not a spec: imported)

// GET owner/locations as the server sends it: projects, then buildings, then units
export const CUIHU_LOCATIONS = [
  { id: 1074, kind: 'project', name: '翠湖花园', code: 'CH', project_id: 358, parent_id: null },
  { id: 1378, kind: 'building', name: '2号楼', code: '2', project_id: 358, parent_id: 1074 },
  { id: 1379, kind: 'building', name: '3号楼', code: '3', project_id: 358, parent_id: 1074 },
  { id: 181, kind: 'unit', name: '1单元', code: '1', project_id: 358, parent_id: 1378 },
  { id: 182, kind: 'unit', name: '2单元', code: '2', project_id: 358, parent_id: 1378 },
]
export const TWO_PROJECTS = [
  CUIHU_LOCATIONS[0],
  { id: 2001, kind: 'project', name: '西溪里', code: 'XX', project_id: 359, parent_id: null },
  ...CUIHU_LOCATIONS.slice(1, 3),
  { id: 2002, kind: 'building', name: '5号楼', code: '5', project_id: 359, parent_id: 2001 },
  ...CUIHU_LOCATIONS.slice(3),
]
