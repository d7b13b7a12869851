import { describe, it, expect } from 'vitest'
import { feeItemGroups, toggle, isValid, orderedIds, requiredWith, all } from '../src/domains/billing/selection.js'

export const BILLS = {
  state: 'open',
  resources: [{
    resource: { id: 262, code: '2-1-301', name: '翠湖花园 2-1-301' },
    balance: '767.55',
    fee_items: [
      { fee_item: { id: 181, name: '物业费' }, balance: '617.55', bills: [
        { id: 485, number: 'ZD10000485', period_start: '2026-01-01', period_end: '2026-01-31', due_date: '2026-02-01', balance: '205.85', late_fee: '0.00', state: 'open', state_string: '未缴', overdue: true, payable: true },
        { id: 486, number: 'ZD10000486', period_start: '2026-02-01', period_end: '2026-02-28', due_date: '2026-03-01', balance: '205.85', late_fee: '0.00', state: 'open', state_string: '未缴', overdue: true, payable: true },
        { id: 487, number: 'ZD10000487', period_start: '2026-03-01', period_end: '2026-03-31', due_date: '2026-04-01', balance: '205.85', late_fee: '0.00', state: 'open', state_string: '未缴', overdue: false, payable: true },
      ] },
      { fee_item: { id: 182, name: '车位管理费' }, balance: '150.00', bills: [
        { id: 488, number: 'ZD10000488', period_start: '2026-01-01', period_end: '2026-01-31', due_date: '2026-02-01', balance: '150.00', late_fee: '0.00', state: 'open', state_string: '未缴', overdue: false, payable: true },
      ] },
    ],
  }],
  totals: { count: 4, balance: '767.55' },
}

const groups = feeItemGroups(BILLS)

describe('oldest-first bill selection', () => {
  it('groups bills by resource and fee item', () => {
    expect(groups.map((g) => g.key)).toEqual(['262-181', '262-182'])
    expect(groups[0].bills.map((b) => b.id)).toEqual([485, 486, 487])
  })

  it('selecting a newer bill selects the older ones of the same resource and fee item', () => {
    const selected = toggle(groups, new Set(), 487)
    expect([...selected].sort()).toEqual([485, 486, 487])
    expect(selected.has(488)).toBe(false)
  })

  it('another fee item is independent', () => {
    const selected = toggle(groups, new Set(), 488)
    expect([...selected]).toEqual([488])
    expect(isValid(groups, selected)).toBe(true)
  })

  it('unselecting an older bill drops the newer ones', () => {
    let selected = toggle(groups, new Set(), 487)
    selected = toggle(groups, selected, 486)
    expect([...selected]).toEqual([485])
    expect(isValid(groups, selected)).toBe(true)
  })

  it('unselecting the newest keeps the older ones', () => {
    let selected = toggle(groups, new Set(), 487)
    selected = toggle(groups, selected, 487)
    expect([...selected].sort()).toEqual([485, 486])
  })

  it('a gap or a skipped oldest bill is not valid', () => {
    expect(isValid(groups, new Set([485, 487]))).toBe(false)
    expect(isValid(groups, new Set([486]))).toBe(false)
    expect(isValid(groups, new Set([485, 486, 488]))).toBe(true)
  })

  it('ids are sent oldest first, in page order', () => {
    expect(orderedIds(groups, new Set([488, 486, 485]))).toEqual([485, 486, 488])
  })

  it('tells which bills go with a bill', () => {
    expect(requiredWith(groups, 486)).toEqual([485, 486])
    expect(requiredWith(groups, 999)).toEqual([])
    expect(all(groups).size).toBe(4)
  })

  it('toggle never changes the given selection', () => {
    const before = new Set([485])
    toggle(groups, before, 486)
    expect([...before]).toEqual([485])
  })

  it('bills without resource are grouped too', () => {
    const other = feeItemGroups({ resources: [{ resource: null, balance: '10.00', fee_items: [
      { fee_item: { id: 5, name: '押金' }, balance: '10.00', bills: [{ id: 9, payable: true }] }] }] })
    expect(other[0].key).toBe('0-5')
  })
})
