const selection = require('../miniprogram/domains/billing/selection');
const { bill, billsAnswer, PROPERTY_FEE } = require('./fixtures');

const resources = () => billsAnswer().resources;

describe('billing selection: oldest first within resource and fee item', () => {
  test('ticking the oldest bill ticks only it', () => {
    const r = selection.toggle(resources(), [], 485);
    expect(r).toEqual({ selected: [485], added: [485], removed: [], refused: false });
  });

  test('ticking a newer bill ticks the older ones of the same resource and fee item', () => {
    const r = selection.toggle(resources(), [], 487);
    expect(r.selected).toEqual([485, 486, 487]);
    expect(r.added).toEqual([485, 486, 487]);
  });

  test('other fee items and other resources are not touched', () => {
    const r = selection.toggle(resources(), [488, 490], 486);
    expect(r.selected.sort()).toEqual([485, 486, 488, 490]);
    expect(r.added).toEqual([485, 486]);
  });

  test('the same fee item on another resource is its own group', () => {
    const r = selection.toggle(resources(), [485], 491);
    expect(r.selected.sort()).toEqual([485, 490, 491]);
    expect(r.added).toEqual([490, 491]);
  });

  test('unticking a bill unticks the newer ones of its group', () => {
    const r = selection.toggle(resources(), [485, 486, 487, 488], 486);
    expect(r.selected).toEqual([485, 488]);
    expect(r.removed).toEqual([486, 487]);
  });

  test('unticking the newest keeps the older', () => {
    const r = selection.toggle(resources(), [485, 486, 487], 487);
    expect(r.selected).toEqual([485, 486]);
    expect(r.removed).toEqual([487]);
  });

  test('unticking the oldest empties the group', () => {
    expect(selection.toggle(resources(), [485, 486, 487], 485).selected).toEqual([]);
  });

  test('ids given as strings (dataset) work', () => {
    expect(selection.toggle(resources(), ['485'], '486').selected).toEqual([485, 486]);
  });

  test('a bill without resource is grouped on its own', () => {
    const r = selection.toggle(resources(), [], 495);
    expect(r.selected).toEqual([495]);
    expect(selection.groupKey(selection.flatten(resources()).find((b) => b.id === 495))).toBe('none:190');
  });

  test('an unknown id is refused and changes nothing', () => {
    const r = selection.toggle(resources(), [485], 9999);
    expect(r.refused).toBe(true);
    expect(r.selected).toEqual([485]);
  });

  test('a paid bill is refused and does not count as older', () => {
    const data = resources();
    data[0].fee_items[0].bills[1] = bill(485, 262, PROPERTY_FEE, 1, { state: 'paid', payable: false, balance: '0.00' });
    expect(selection.toggle(data, [], 485).refused).toBe(true);
    expect(selection.toggle(data, [], 486).selected).toEqual([486]);
    expect(selection.violations(data, [486])).toEqual([]);
  });

  test('unknown ids in the current selection are dropped', () => {
    expect(selection.toggle(resources(), [12345], 485).selected).toEqual([485]);
  });

  test('the selection comes back oldest first', () => {
    const r = selection.toggle(resources(), [491, 490, 488], 487);
    const byId = {};
    selection.flatten(resources()).forEach((b) => { byId[b.id] = b; });
    const starts = r.selected.map((id) => byId[id].period_start);
    expect(starts).toEqual(starts.slice().sort());
  });

  test('the bills are ordered by period, then due date, then id', () => {
    const a = { id: 2, period_start: '2026-01-01', due_date: '2026-02-01' };
    const b = { id: 1, period_start: '2026-01-01', due_date: '2026-02-05' };
    const c = { id: 3, period_start: '2026-01-01', due_date: '2026-02-01' };
    expect([b, c, a].sort(selection.compareAge).map((x) => x.id)).toEqual([2, 3, 1]);
    expect([{ id: 1, period_start: '2026-02-01' }, { id: 2, period_start: null }]
      .sort(selection.compareAge).map((x) => x.id)).toEqual([2, 1]);
  });
});

describe('billing selection: checking a selection', () => {
  test('a selection that skips an older bill is a violation naming the oldest missing one', () => {
    expect(selection.violations(resources(), [487])).toEqual([{ bill_id: 487, older_bill_id: 485 }]);
    expect(selection.violations(resources(), [485, 487])).toEqual([{ bill_id: 487, older_bill_id: 486 }]);
    expect(selection.isValid(resources(), [485, 487])).toBe(false);
  });

  test('prefixes of every group are valid', () => {
    expect(selection.violations(resources(), [485, 486, 488, 490])).toEqual([]);
    expect(selection.isValid(resources(), [485, 486, 488, 490])).toBe(true);
  });

  test('an empty selection or an unknown id is not valid', () => {
    expect(selection.isValid(resources(), [])).toBe(false);
    expect(selection.isValid(resources(), [485, 9999])).toBe(false);
    expect(selection.unknown(resources(), [485, 9999])).toEqual([9999]);
  });

  test('select all takes every payable bill, oldest first', () => {
    const all = selection.selectAll(resources());
    expect(all.slice().sort()).toEqual([485, 486, 487, 488, 490, 491, 495]);
    expect(selection.isValid(resources(), all)).toBe(true);
  });

  test('any sequence of toggles keeps the selection valid', () => {
    const ids = [485, 486, 487, 488, 490, 491, 495];
    let seed = 7;
    const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
    let selected = [];
    for (let i = 0; i < 500; i += 1) {
      selected = selection.toggle(resources(), selected, ids[next() % ids.length]).selected;
      expect(selection.violations(resources(), selected)).toEqual([]);
    }
  });

  test('no money is computed: the module returns ids only', () => {
    const r = selection.toggle(resources(), [], 487);
    expect(Object.keys(r).sort()).toEqual(['added', 'refused', 'removed', 'selected']);
  });

  test('empty or missing data', () => {
    expect(selection.selectAll(undefined)).toEqual([]);
    expect(selection.toggle([], [], 1).refused).toBe(true);
    expect(selection.flatten([{ resource: null, fee_items: [] }])).toEqual([]);
  });
});
