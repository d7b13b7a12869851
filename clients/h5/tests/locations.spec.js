import { describe, it, expect } from 'vitest'
import { cascaderValue, locationLabel, locationOptions, locationProject } from '../src/domains/tickets/locations.js'
import { CUIHU_LOCATIONS, TWO_PROJECTS } from './fixtures.js'

// what the cascader shows: text, then the children's, nested
const shape = (options) => options.map((o) => (o.children ? [o.text, shape(o.children)] : o.text))

// the path the cascader selects for a value, as Vant looks it up
function pathOf(options, value) {
  for (const o of options) {
    if (o.value === value) return [o]
    const rest = o.children && pathOf(o.children, value)
    if (rest) return [o, ...rest]
  }
  return null
}

describe('ticket locations', () => {
  it('one project: the cascader starts at its buildings, a whole project or building is an option', () => {
    const options = locationOptions(CUIHU_LOCATIONS)
    expect(shape(options)).toEqual(['整个小区', ['2号楼', ['整栋', '1单元', '2单元']], '3号楼'])
    expect(options[0].location).toBe(1074)
    expect(options[1].children[0].location).toBe(1378)
    expect(options[1].children[1].location).toBe(181)
    // a building without units is a leaf: chosen directly
    expect(options[2]).toEqual({ text: '3号楼', value: 1379, location: 1379 })
  })

  it('several projects: the project comes first', () => {
    expect(shape(locationOptions(TWO_PROJECTS))).toEqual([
      ['翠湖花园', ['整个小区', ['2号楼', ['整栋', '1单元', '2单元']], '3号楼']],
      ['西溪里', ['整个小区', '5号楼']],
    ])
  })

  it('values are unique, and the value of a chosen location leads the cascader back to it', () => {
    for (const list of [CUIHU_LOCATIONS, TWO_PROJECTS]) {
      const options = locationOptions(list)
      const values = []
      const walk = (opts) => opts.forEach((o) => { values.push(o.value); if (o.children) walk(o.children) })
      walk(options)
      expect(new Set(values).size).toBe(values.length)
      for (const { id } of list) {
        const path = pathOf(options, cascaderValue(list, id))
        expect(path.at(-1).location).toBe(id)
        expect(path.at(-1).children).toBeUndefined()
      }
    }
    expect(cascaderValue(CUIHU_LOCATIONS, 1378)).toBe('whole-1378')
    expect(cascaderValue(CUIHU_LOCATIONS, 181)).toBe(181)
    expect(cascaderValue(CUIHU_LOCATIONS, null)).toBeNull()
  })

  it('the label: the path below the only project, the whole path with several', () => {
    expect(locationLabel(CUIHU_LOCATIONS, 181)).toBe('2号楼 / 1单元')
    expect(locationLabel(CUIHU_LOCATIONS, 1378)).toBe('2号楼')
    expect(locationLabel(CUIHU_LOCATIONS, 1074)).toBe('翠湖花园')
    expect(locationLabel(TWO_PROJECTS, 181)).toBe('翠湖花园 / 2号楼 / 1单元')
    expect(locationLabel(TWO_PROJECTS, 2001)).toBe('西溪里')
    expect(locationLabel(CUIHU_LOCATIONS, 999)).toBe('')
    expect(locationLabel(CUIHU_LOCATIONS, null)).toBe('')
  })

  it('the project of a location', () => {
    expect(locationProject(TWO_PROJECTS, 2002)).toBe(359)
    expect(locationProject(TWO_PROJECTS, 181)).toBe(358)
    expect(locationProject(TWO_PROJECTS, 999)).toBeNull()
  })

  it('odd lists: nothing, a parent not sent, a nameless location, a loop', () => {
    expect(locationOptions([])).toEqual([])
    expect(locationOptions()).toEqual([])
    const orphan = [{ id: 5, kind: 'unit', name: null, code: 'U5', project_id: 358, parent_id: 404 }]
    expect(locationOptions(orphan)).toEqual([{ text: 'U5', value: 5, location: 5 }])
    expect(locationLabel(orphan, 5)).toBe('U5')
    const loop = [
      { id: 1, kind: 'building', name: 'A', project_id: 1, parent_id: 2 },
      { id: 2, kind: 'building', name: 'B', project_id: 1, parent_id: 1 },
    ]
    expect(locationLabel(loop, 1)).toBe('B / A')
  })
})
