// Which bills the owner may tick together: within one resource and fee item
// the oldest open bill is paid first (DOMAIN_RULES 9, owner-api.md
// `oldest_first`). The selection of each group is therefore always the
// oldest N payable bills. `POST owner/bills/check` stays the authority; this
// only keeps the owner from building a selection the server refuses.
//
// Pure functions over the `resources` of `GET owner/bills`; ids in, ids out.

function groupKey(bill) {
  const resource = bill.resource_id === undefined || bill.resource_id === null
    ? 'none' : bill.resource_id;
  const feeItem = bill.fee_item ? bill.fee_item.id : 'none';
  return `${resource}:${feeItem}`;
}

// Oldest first: period start, then due date, then id (ISO dates compare as
// strings).
function compareAge(a, b) {
  const keys = ['period_start', 'due_date'];
  for (let i = 0; i < keys.length; i += 1) {
    const x = a[keys[i]] || '';
    const y = b[keys[i]] || '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.id - b.id;
}

function flatten(resources) {
  const bills = [];
  (resources || []).forEach((group) => {
    (group.fee_items || []).forEach((item) => {
      (item.bills || []).forEach((bill) => {
        const fromGroup = group.resource ? group.resource.id : null;
        bills.push(Object.assign({
          resource_id: fromGroup,
          fee_item: item.fee_item,
        }, bill));
      });
    });
  });
  return bills;
}

function isPayable(bill) {
  return bill.payable !== false && bill.state !== 'paid';
}

// {byId: {id: bill}, groups: {key: [payable bills oldest first]}}
function index(resources) {
  const byId = {};
  const groups = {};
  flatten(resources).forEach((bill) => {
    byId[bill.id] = bill;
    if (!isPayable(bill)) return;
    const key = groupKey(bill);
    (groups[key] = groups[key] || []).push(bill);
  });
  Object.keys(groups).forEach((key) => groups[key].sort(compareAge));
  return { byId, groups };
}

function ordered(idx, ids) {
  return ids
    .filter((id) => idx.byId[id])
    .map((id) => idx.byId[id])
    .sort(compareAge)
    .map((bill) => bill.id);
}

function unique(ids) {
  return Array.from(new Set((ids || []).map(Number)));
}

// The payable bills of the group of `id` older than it.
function olderThan(idx, id) {
  const bill = idx.byId[id];
  if (!bill) return [];
  const group = idx.groups[groupKey(bill)] || [];
  const position = group.findIndex((b) => b.id === bill.id);
  return position < 0 ? [] : group.slice(0, position).map((b) => b.id);
}

function newerThan(idx, id) {
  const bill = idx.byId[id];
  if (!bill) return [];
  const group = idx.groups[groupKey(bill)] || [];
  const position = group.findIndex((b) => b.id === bill.id);
  return position < 0 ? [] : group.slice(position + 1).map((b) => b.id);
}

// Ticks or unticks one bill. Ticking a bill ticks the older open bills of
// its resource and fee item too; unticking one unticks the newer ones.
// Returns {selected, added, removed, refused} (refused: not payable).
function toggle(resources, selectedIds, id) {
  const idx = index(resources);
  const selected = unique(selectedIds).filter((x) => idx.byId[x]);
  const billId = Number(id);
  const bill = idx.byId[billId];
  if (!bill || !isPayable(bill)) {
    return { selected: ordered(idx, selected), added: [], removed: [], refused: true };
  }
  const set = new Set(selected);
  const added = [];
  const removed = [];
  if (set.has(billId)) {
    [billId].concat(newerThan(idx, billId)).forEach((x) => {
      if (set.delete(x)) removed.push(x);
    });
  } else {
    olderThan(idx, billId).concat([billId]).forEach((x) => {
      if (!set.has(x)) {
        set.add(x);
        added.push(x);
      }
    });
  }
  return {
    selected: ordered(idx, Array.from(set)),
    added: ordered(idx, added),
    removed: ordered(idx, removed),
    refused: false,
  };
}

// Selected bills whose older open bills are not all selected:
// [{bill_id, older_bill_id}] with the oldest missing one, as the server's
// 409 oldest_first names it.
function violations(resources, selectedIds) {
  const idx = index(resources);
  const set = new Set(unique(selectedIds));
  const found = [];
  ordered(idx, Array.from(set)).forEach((id) => {
    const missing = olderThan(idx, id).filter((x) => !set.has(x));
    if (missing.length) found.push({ bill_id: id, older_bill_id: missing[0] });
  });
  return found;
}

function unknown(resources, selectedIds) {
  const idx = index(resources);
  return unique(selectedIds).filter((id) => !idx.byId[id] || !isPayable(idx.byId[id]));
}

function isValid(resources, selectedIds) {
  return unique(selectedIds).length > 0
    && unknown(resources, selectedIds).length === 0
    && violations(resources, selectedIds).length === 0;
}

function selectAll(resources) {
  const idx = index(resources);
  const ids = [];
  Object.keys(idx.groups).forEach((key) => idx.groups[key].forEach((b) => ids.push(b.id)));
  return ordered(idx, ids);
}

module.exports = {
  groupKey,
  compareAge,
  flatten,
  isPayable,
  toggle,
  violations,
  unknown,
  isValid,
  selectAll,
};
