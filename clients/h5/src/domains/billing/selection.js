// The oldest-first rule of the owner's bill selection (DOMAIN_RULES 9):
// within one resource and fee item, a bill can be paid only with every
// older open bill of the same resource and fee item. The server's
// POST owner/bills/check is the authority; this only keeps the UI honest.
//
// `groups` are the fee-item groups of GET owner/bills, each with its
// bills oldest first as the server sends them.

// Every fee-item group of a GET owner/bills answer, with its resource
export function feeItemGroups(answer) {
  const groups = []
  for (const entry of answer?.resources || []) {
    for (const item of entry.fee_items || []) {
      groups.push({
        key: `${entry.resource ? entry.resource.id : 0}-${item.fee_item ? item.fee_item.id : 0}`,
        resource: entry.resource,
        fee_item: item.fee_item,
        balance: item.balance,
        bills: (item.bills || []).filter((b) => b.payable !== false),
      })
    }
  }
  return groups
}

function groupOf(groups, billId) {
  return groups.find((g) => g.bills.some((b) => b.id === billId))
}

// The bills that must be selected with billId: itself and the older ones
export function requiredWith(groups, billId) {
  const group = groupOf(groups, billId)
  if (!group) return []
  const index = group.bills.findIndex((b) => b.id === billId)
  return group.bills.slice(0, index + 1).map((b) => b.id)
}

// The selection after tapping billId: selecting it adds the older bills
// of its resource and fee item, unselecting it drops the newer ones (they
// could not be paid without it).
export function toggle(groups, selected, billId) {
  const next = new Set(selected)
  const group = groupOf(groups, billId)
  if (!group) return next
  const index = group.bills.findIndex((b) => b.id === billId)
  if (next.has(billId)) {
    for (const b of group.bills.slice(index)) next.delete(b.id)
  } else {
    for (const b of group.bills.slice(0, index + 1)) next.add(b.id)
  }
  return next
}

// Whether the selection keeps the rule (no gap, oldest first)
export function isValid(groups, selected) {
  for (const group of groups) {
    let gap = false
    for (const b of group.bills) {
      if (selected.has(b.id)) {
        if (gap) return false
      } else {
        gap = true
      }
    }
  }
  return true
}

// Selected ids in the order of the page (oldest first per group)
export function orderedIds(groups, selected) {
  const ids = []
  for (const group of groups) {
    for (const b of group.bills) if (selected.has(b.id)) ids.push(b.id)
  }
  return ids
}

// Select everything payable
export function all(groups) {
  return new Set(groups.flatMap((g) => g.bills.map((b) => b.id)))
}
