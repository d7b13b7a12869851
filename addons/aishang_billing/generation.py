# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Plan the bills of a run from plain data: pure, so it is checked alone.

bill_run.py loads resources, owners and rules with a few SQL queries,
calls plan_bills and writes the rows it returns in bulk.
"""
import datetime as dt
from collections import defaultdict

from .formula import FormulaError
from .money import (
    CYCLE_MONTHS, RuleIndex, days_between, distribute, period_containing,
    prorate, quantum, ranges_overlap)
from .pricing import MissingQuantity, charge

ONE_DAY = dt.timedelta(days=1)


def payer_segments(window, ownerships):
    """Split window into runs of days with one payer.

    ownerships are mappings with party, start, end (inclusive, optional)
    and primary; on each day the payer is the first primary ownership in
    force, else the first in force, else nobody (None).
    Return a list of (start, end, party).
    """
    start, end = window
    if start > end:
        return []
    if not ownerships:
        return [(start, end, None)]
    if len(ownerships) == 1 and not ownerships[0].get('start') \
            and not ownerships[0].get('end'):
        return [(start, end, ownerships[0]['party'])]
    ordered = sorted(ownerships, key=lambda o: (not o.get('primary'),
            o.get('start') or dt.date.min, o.get('id') or 0))
    cuts = {start, end + ONE_DAY}
    for o in ordered:
        if o.get('start') and start < o['start'] <= end:
            cuts.add(o['start'])
        if o.get('end') and start <= o['end'] < end:
            cuts.add(o['end'] + ONE_DAY)
    cuts = sorted(cuts)
    segments = []
    for lo, hi in zip(cuts, cuts[1:]):
        hi -= ONE_DAY
        payer = next((o['party'] for o in ordered
                if (o.get('start') is None or o['start'] <= lo)
                and (o.get('end') is None or o['end'] >= hi)), None)
        if segments and segments[-1][2] == payer \
                and segments[-1][1] + ONE_DAY == lo:
            segments[-1] = (segments[-1][0], hi, payer)
        else:
            segments.append((lo, hi, payer))
    return segments


def billable_window(period, resource, rule):
    "The days of period the resource is billed for under rule"
    start, end = period
    bounds_from = [resource.get('handover_date'), rule.get('start')]
    bounds_to = [rule.get('end')]
    if rule.get('lease_bound'):
        bounds_from.append(resource.get('lease_start'))
        bounds_to.append(resource.get('lease_end'))
        if not resource.get('lease_start') and not resource.get('lease_end'):
            return None
    for d in bounds_from:
        if d and d > start:
            start = d
    for d in bounds_to:
        if d and d < end:
            end = d
    if start > end:
        return None
    return start, end


def plan_bills(date, resources, bill_rules, price_rules, ownerships,
        fee_items):
    """Return (rows, skipped) for the bills of the period holding date.

    resources: mappings with id, project, building, unit, kind, area,
    building_area, inner_area, occupants, usage, handover_date, lease_start
    and lease_end.
    bill_rules: mappings with the rule scope fields, start, end, fee_item,
    cycle, due_offset and lease_bound; per fee item and resource the most
    specific rule applies.
    price_rules: fee item id → mappings with the scope fields, start, end,
    method, unit_price and formula.
    ownerships: resource id → mappings with party, start, end, primary.
    fee_items: fee item id → mapping with digits and rounding (a decimal
    rounding mode).
    skipped lists (resource id, fee item id, reason, detail) for resources
    a rule matches but which cannot be billed.
    """
    rules_by_item = defaultdict(list)
    for rule in bill_rules:
        rules_by_item[rule['fee_item']].append(rule)
    rows, skipped = [], []
    for fee_item, rules in rules_by_item.items():
        item = fee_items[fee_item]
        periods = {r['cycle']: period_containing(date, r['cycle'])
            for r in rules}
        rules = RuleIndex(
            [r for r in rules if ranges_overlap(
                r.get('start'), r.get('end'), *periods[r['cycle']])])
        prices = RuleIndex(price_rules.get(fee_item, []))
        unit = quantum(item['digits'])
        for resource in resources:
            rule = rules.resolve(resource, None)
            if rule is None:
                continue
            period = periods[rule['cycle']]
            window = billable_window(period, resource, rule)
            if window is None:
                continue
            price = prices.resolve(resource, window[0])
            if price is None:
                skipped.append((resource['id'], fee_item, 'no_price', None))
                continue
            period_days = days_between(*period)
            covered = days_between(*window)
            values = dict(resource, months=CYCLE_MONTHS[rule['cycle']],
                days=covered, period_days=period_days)
            try:
                quantity, months, full = charge(price['method'],
                    price['unit_price'], values, price.get('formula'))
            except MissingQuantity as error:
                skipped.append((resource['id'], fee_item,
                        'missing_quantity', error.name))
                continue
            except FormulaError as error:
                skipped.append(
                    (resource['id'], fee_item, 'formula', error.code))
                continue
            total = prorate(full, covered, period_days, item['digits'],
                item['rounding'])
            if total <= 0:
                continue
            segments = payer_segments(
                window, ownerships.get(resource['id'], []))
            # A period shared by successive owners is one amount split by
            # days, so the parts add up to it exactly (DOMAIN_RULES 7).
            if len(segments) == 1:
                amounts = [total]
            else:
                amounts = distribute(total,
                    [days_between(s, e) for s, e, _ in segments], unit)
            for (start, end, party), amount in zip(segments, amounts):
                rows.append({
                        'project': resource['project'],
                        'resource': resource['id'],
                        'building': resource.get('building'),
                        'party': party,
                        'fee_item': fee_item,
                        'period_start': start,
                        'period_end': end,
                        'quantity': quantity,
                        'unit_price': price['unit_price'],
                        'months': months,
                        'days': days_between(start, end),
                        'period_days': period_days,
                        'amount': amount,
                        'due_date': period[0] + dt.timedelta(
                            days=rule['due_offset']),
                        })
    return rows, skipped
