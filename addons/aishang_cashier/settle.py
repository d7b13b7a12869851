# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Money rules of the cashier as pure functions (no Pool, no Transaction).

Amounts are Decimals in fen. A "due" is what a bill still asks for, split in
its principal (amount less discount less principal paid) and its late fee.
"""
from collections import namedtuple
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from trytond.modules.aishang_billing.money import (
    CENT, distribute, round_money)

ZERO = Decimal(0)

Due = namedtuple('Due', ['key', 'group', 'order', 'principal', 'late_fee'])
Due.__doc__ = """What one bill still asks for.

key identifies the bill, group is what oldest-first applies within (the
resource and fee item), order sorts the bills of a group (period start, id).
"""
Part = namedtuple('Part', ['key', 'principal', 'late_fee'])


class SettleError(ValueError):
    "A collection that breaks a money rule; args[0] names the rule"


def sort_dues(dues):
    return sorted(dues, key=lambda d: (d.order, d.group))


def allocate_payment(dues, amount):
    """Apply amount to dues, the oldest first, principal before late fee.

    The principal goes first so that what is left owing keeps as little
    late fee running as possible. Return one Part per due in the order of
    dues (zero parts included). A payment above the total is refused: the
    excess belongs in a prepayment account, not on a bill.
    """
    amount = Decimal(amount)
    if amount < 0:
        raise SettleError('negative')
    total = sum((d.principal + d.late_fee for d in dues), ZERO)
    if amount > total:
        raise SettleError('excess')
    left = amount
    parts = {}
    for due in sort_dues(dues):
        principal = min(due.principal, left)
        left -= principal
        late_fee = min(due.late_fee, left)
        left -= late_fee
        parts[due.key] = Part(due.key, principal, late_fee)
    return [parts[d.key] for d in dues]


def check_oldest_first(dues, parts, older_open):
    """Refuse a collection that skips an older bill of the same group.

    older_open maps a group to the order of its oldest open bill that is
    not among dues (absent when there is none). Within a group every bill
    but the newest paid must be settled in full (DOMAIN_RULES 9). Return
    the key of the first offending due, or None.
    """
    by_group = {}
    for due, part in zip(dues, parts):
        if part.principal or part.late_fee:
            by_group.setdefault(due.group, []).append((due, part))
    for group, pairs in by_group.items():
        pairs.sort(key=lambda p: p[0].order)
        oldest = older_open.get(group)
        if oldest is not None:
            # an open bill left out that is older than one paid: Jan and
            # Mar paid with Feb open is refused as much as Mar alone
            for due, _ in pairs:
                if oldest < due.order:
                    return due.key
        for due, part in pairs[:-1]:
            if (part.principal < due.principal
                    or part.late_fee < due.late_fee):
                return pairs[-1][0].key
    return None


def percentage_discounts(dues, rate):
    "rate % off each due's principal, rounded per bill (DOMAIN_RULES 6)"
    return [round_money(d.principal * Decimal(rate) / 100) for d in dues]


def fixed_discounts(dues, amount):
    """One fixed amount spread over the dues by principal, exactly.

    Never more than the principals themselves.
    """
    principals = [d.principal for d in dues]
    amount = min(Decimal(amount), sum(principals, ZERO))
    if amount <= 0:
        return [ZERO for _ in dues]
    return distribute(amount, principals, CENT)


def free_month_discounts(dues, pay, free):
    """Pay `pay` bills of a group, get the next `free` ones free.

    Counted per group (resource and fee item) over the bills collected
    together, oldest first: the bills numbered pay+1 … pay+free of each
    full pay+free block are free.
    """
    discounts = {d.key: ZERO for d in dues}
    if pay <= 0 or free <= 0:
        return [ZERO for _ in dues]
    groups = {}
    for due in sort_dues(dues):
        groups.setdefault(due.group, []).append(due)
    for group_dues in groups.values():
        block = pay + free
        for start in range(0, len(group_dues) - block + 1, block):
            for due in group_dues[start + pay:start + block]:
                discounts[due.key] = due.principal
    return [discounts[d.key] for d in dues]


def round_off(total, unit):
    """The part of total below unit (抹零), e.g. 0.56 of 1,234.56 to yuan.

    It is given as an explicit discount (DOMAIN_RULES 8).
    """
    total = Decimal(total)
    unit = Decimal(unit)
    kept = (total / unit).to_integral_value(rounding=ROUND_DOWN) * unit
    return total - kept


def spread_discount(dues, amount):
    "Spread one discount (a round-off) over dues by principal, exactly"
    return fixed_discounts(dues, amount)


def refund_parts(received, discounts, amount):
    """Split a refund over receipt lines and reverse discounts in proportion.

    received and discounts are per line (what the line took and the
    discount it was given). amount is refunded: never zero, never above
    what was received (DOMAIN_RULES 10). Return (refunded, discount
    reversed) per line; both add up exactly (largest remainder): the
    discount reversed in all is the total discount × amount / received,
    rounded half up once.
    """
    amount = Decimal(amount)
    total_received = sum(received, ZERO)
    if amount <= 0:
        raise SettleError('refund_zero')
    if amount > total_received:
        raise SettleError('refund_excess')
    refunded = distribute(amount, received, CENT)
    total_discount = sum(discounts, ZERO)
    if not total_discount:
        return [(r, ZERO) for r in refunded]
    reversed_total = (total_discount * amount / total_received).quantize(
        CENT, rounding=ROUND_HALF_UP)
    weights = [d * r / x if x else ZERO
        for d, r, x in zip(discounts, refunded, received)]
    if not any(weights):
        weights = discounts
    reversed_ = distribute(reversed_total, weights, CENT)
    return list(zip(refunded, reversed_))
