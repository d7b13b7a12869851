# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The JSON of the owner API: plain values only (money as strings with two
decimals, dates as ISO strings), with the schemas the OpenAPI document
shows. Keep each schema beside the function that writes it."""
from decimal import Decimal

from trytond.modules.aishang_property.identity import mask_phone
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.tools import grouped_slice

from .api import (
    arr, boolean, component, date, datetime, integer, money, nullable, obj,
    string)

CENT = Decimal('0.01')
ZERO = Decimal(0)


def amount(value):
    "Money as a string with two decimals (SQLite loses the scale)"
    return format(Decimal(value or 0).quantize(CENT), 'f')


# ---------------------------------------------------------------------------
# Owner and resources

REF_SCHEMA = component('Ref', obj({
            'id': integer(), 'name': string()}, required=['id', 'name']))


def ref(record, name=None):
    if not record:
        return None
    return {'id': record.id, 'name': name or record.rec_name}


OWNER_SCHEMA = component('Owner', obj({
            'id': integer(),
            'name': string(),
            'phone': string(description="Masked phone on file."),
            }, required=['id', 'name']))


def owner(party):
    if not party:
        return None
    return {
        'id': party.id,
        'name': party.name,
        'phone': mask_phone(party.owner_phone),
        }


ME_SCHEMA = obj({
        'verified': boolean(),
        'owner': nullable(OWNER_SCHEMA),
        'wechat': boolean(description="Signed in with WeChat."),
        'phone': nullable(string(description="Masked verified phone.")),
        'verified_at': nullable(datetime()),
        'verified_with': nullable(string(enum=['sms', 'wechat_phone'])),
        'resource_count': integer(),
        'unread_notices': integer(),
        'unread_messages': integer(description="In-app messages unread."),
        }, required=['verified', 'owner'])


RESOURCE_SCHEMA = component('Resource', obj({
            'id': integer(),
            'code': string(example='2-1-301'),
            'name': string(example='翠湖花园 2-1-301'),
            'kind': string(enum=['residence', 'shop', 'ad_space',
                    'basement', 'parking']),
            'kind_string': string(),
            'project': obj({
                    'id': integer(), 'name': string(),
                    'phone': nullable(string()),
                    'address': nullable(string()),
                    }),
            'building': nullable(REF_SCHEMA),
            'unit': nullable(REF_SCHEMA),
            'number': string(),
            'floor': nullable(integer()),
            'building_area': nullable(string(example='100.00')),
            'share': string(example='100.00',
                description="The owner's share in percent."),
            'primary': boolean(),
            }, required=['id', 'code', 'name', 'project']))


def resource(record, ownership=None):
    project = record.project
    return {
        'id': record.id,
        'code': record.code,
        'name': record.rec_name,
        'kind': record.kind,
        'kind_string': record.kind_string,
        'project': {
            'id': project.id, 'name': project.name,
            'phone': project.phone, 'address': project.address,
            },
        'building': ref(record.building, record.building.name
            if record.building else None),
        'unit': ref(record.unit, record.unit.name if record.unit else None),
        'number': record.number,
        'floor': record.floor,
        'building_area': amount(record.building_area)
        if record.building_area is not None else None,
        'share': amount(ownership.share) if ownership else None,
        'primary': bool(ownership.primary) if ownership else False,
        }


def resource_short(record):
    if not record:
        return None
    return {'id': record.id, 'code': record.code, 'name': record.rec_name}


RESOURCE_SHORT_SCHEMA = component('ResourceShort', obj({
            'id': integer(), 'code': string(), 'name': string()},
        required=['id', 'code', 'name']))


# ---------------------------------------------------------------------------
# Bills

BILL_SCHEMA = component('Bill', obj({
            'id': integer(),
            'number': string(example='ZD10000042'),
            'resource_id': nullable(integer()),
            'project_id': integer(description="The project billing it: "
                "its payment channels take it (GET owner/payment-channels)."),
            'fee_item': REF_SCHEMA,
            'period_start': nullable(date()),
            'period_end': nullable(date()),
            'due_date': nullable(date()),
            'amount': money("The principal billed."),
            'late_fee': money(),
            'discount': money(),
            'paid': money(),
            'balance': money("What is still owed: amount + late fee - "
                "discount - paid."),
            'state': string(enum=['open', 'partial', 'paid']),
            'state_string': string(),
            'overdue': boolean(),
            'payable': boolean(description="Open or partly paid with a "
                "balance; the oldest-first rule is checked by "
                "POST owner/bills/check."),
            }, required=['id', 'number', 'project_id', 'fee_item', 'balance',
            'state']))


# The columns of a bill the API shows, read without loading whole records:
# "my bills" is the hottest path of the owner apps
BILL_FIELDS = ['number', 'project', 'resource', 'fee_item', 'fee_item.name',
    'period_start', 'period_end', 'due_date', 'amount', 'late_fee',
    'discount', 'paid', 'balance', 'state']


def read_bills(bills):
    "The BILL_FIELDS rows of bills (records or ids), in their order"
    Bill = Pool().get('property.bill')
    ids = [int(b) for b in bills]
    rows = {}
    for sub in grouped_slice(ids, in_max()):
        for row in Bill.read(list(sub), BILL_FIELDS):
            rows[row['id']] = row
    return [rows[i] for i in ids]


def bills(rows):
    "The API form of the rows of read_bills"
    pool = Pool()
    Bill = pool.get('property.bill')
    labels = dict(Bill.fields_get(['state'])['state']['selection'])
    today = pool.get('ir.date').today()
    return [bill(row, labels, today) for row in rows]


def bill(row, labels, today):
    Bill = Pool().get('property.bill')
    balance = row['balance'] or ZERO
    return {
        'id': row['id'],
        'number': row['number'],
        'resource_id': row['resource'],
        'project_id': row['project'],
        'fee_item': {'id': row['fee_item'],
            'name': row['fee_item.']['name']} if row['fee_item'] else None,
        'period_start': row['period_start'],
        'period_end': row['period_end'],
        'due_date': row['due_date'],
        'amount': amount(row['amount']),
        'late_fee': amount(row['late_fee']),
        'discount': amount(row['discount']),
        'paid': amount(row['paid']),
        'balance': amount(balance),
        'state': row['state'],
        'state_string': labels.get(row['state'], row['state']),
        'overdue': Bill.overdue_on(row['state'], row['due_date'], today),
        'payable': row['state'] in {'open', 'partial'} and balance > 0,
        }


BILL_DETAIL_SCHEMA = obj({
        'bill': BILL_SCHEMA,
        'project': REF_SCHEMA,
        'resource': nullable(RESOURCE_SHORT_SCHEMA),
        'description': nullable(string()),
        'quantity': nullable(string()),
        'unit_price': nullable(string()),
        'months': nullable(string()),
        'days': nullable(integer()),
        'period_days': nullable(integer()),
        'adjustments': arr(obj({
                    'kind': string(enum=['late_fee', 'discount']),
                    'kind_string': string(),
                    'amount': money(),
                    'date': date(),
                    'description': nullable(string()),
                    })),
        }, required=['bill', 'project'])


def _decimal(value):
    return format(value.normalize(), 'f') if value is not None else None


def bill_detail(record):
    return {
        'bill': bills(read_bills([record]))[0],
        'project': ref(record.project, record.project.name),
        'resource': resource_short(record.resource),
        'description': record.description,
        'quantity': _decimal(record.quantity),
        'unit_price': _decimal(record.unit_price),
        'months': _decimal(record.months),
        'days': record.days,
        'period_days': record.period_days,
        'adjustments': [{
                'kind': line.kind,
                'kind_string': line.kind_string,
                'amount': amount(line.amount),
                'date': line.date,
                'description': line.description,
                } for line in record.lines],
        }


TOTALS_SCHEMA = component('BillTotals', obj({
            'count': integer(),
            'amount': money(),
            'late_fee': money(),
            'discount': money(),
            'paid': money(),
            'balance': money(),
            }, required=['count', 'balance']))


def totals(rows):
    "The sums of the rows of read_bills"
    result = {'count': len(rows)}
    for name in ['amount', 'late_fee', 'discount', 'paid', 'balance']:
        result[name] = amount(sum((r[name] or ZERO for r in rows), ZERO))
    return result


BILLS_SCHEMA = obj({
        'state': string(enum=['open', 'paid', 'all']),
        'resources': arr(obj({
                    'resource': nullable(RESOURCE_SHORT_SCHEMA),
                    'balance': money(),
                    'fee_items': arr(obj({
                                'fee_item': REF_SCHEMA,
                                'balance': money(),
                                'bills': arr(BILL_SCHEMA),
                                })),
                    })),
        'totals': TOTALS_SCHEMA,
        'total_count': integer(description="Bills matching, all pages."),
        'limit': integer(),
        'offset': integer(),
        }, required=['resources', 'totals'])


def bill_groups(rows):
    """Group the rows of read_bills by resource, then fee item, keeping
    their order (oldest first)"""
    Resource = Pool().get('property.resource')
    resources = {}
    for row in rows:
        group = resources.setdefault(row['resource'], {})
        group.setdefault(row['fee_item'], []).append(row)
    names = Resource.codes_and_names([r for r in resources if r])
    served = dict(zip((r['id'] for r in rows), bills(rows)))
    return [{
            'resource': {'id': res, 'code': names[res][0],
                'name': names[res][1]} if res else None,
            'balance': amount(sum((b['balance'] or ZERO
                        for group in fee_items.values() for b in group),
                    ZERO)),
            'fee_items': [{
                    'fee_item': served[group[0]['id']]['fee_item'],
                    'balance': amount(sum(
                            (b['balance'] or ZERO for b in group), ZERO)),
                    'bills': [served[b['id']] for b in group],
                    } for group in fee_items.values()],
            } for res, fee_items in resources.items()]


CHECK_SCHEMA = obj({
        'bills': arr(BILL_SCHEMA),
        'total': money("What the server will charge for these bills."),
        'currency': string(enum=['CNY']),
        }, required=['bills', 'total', 'currency'])


# ---------------------------------------------------------------------------
# Receipts

RECEIPT_SCHEMA = component('Receipt', obj({
            'id': integer(),
            'number': string(example='CH-0000001'),
            'date': date(),
            'state': string(enum=['done', 'void']),
            'state_string': string(),
            'project': REF_SCHEMA,
            'resource': nullable(RESOURCE_SHORT_SCHEMA),
            'total': money(),
            'line_count': integer(),
            }, required=['id', 'number', 'date', 'state', 'total']))


def receipt(record):
    return {
        'id': record.id,
        'number': record.number,
        'date': record.date,
        'state': record.state,
        'state_string': record.state_string,
        'project': ref(record.project, record.project.name),
        'resource': resource_short(record.resource),
        'total': amount(record.total if record.total is not None
            else record.amount),
        'line_count': len(record.lines),
        }


RECEIPT_DETAIL_SCHEMA = obj({
        'receipt': RECEIPT_SCHEMA,
        'payer': string(),
        'void_date': nullable(date()),
        'lines': arr(obj({
                    'kind': string(enum=['bill', 'prepayment', 'deposit']),
                    'kind_string': string(),
                    'fee_item': nullable(REF_SCHEMA),
                    'bill_id': nullable(integer()),
                    'bill_number': nullable(string()),
                    'resource': nullable(RESOURCE_SHORT_SCHEMA),
                    'period_start': nullable(date()),
                    'period_end': nullable(date()),
                    'principal': money(),
                    'late_fee': money(),
                    'discount': money(),
                    'amount': money(),
                    'refunded': money(),
                    })),
        'payments': arr(obj({
                    'method': string(), 'amount': money()})),
        'pdf': string(description="Path of the PDF, relative to the API "
            "base."),
        }, required=['receipt', 'lines', 'payments'])


def receipt_detail(record, bill_ids):
    "bill_ids: the bills the owner sees, to give their ids"
    lines = []
    for line in record.lines:
        fee_item = line.fee_item or (
            line.owner_account.fee_item if line.owner_account else None)
        lines.append({
                'kind': line.kind,
                'kind_string': line.kind_string,
                'fee_item': ref(fee_item, fee_item.name) if fee_item
                else None,
                'bill_id': line.bill.id if line.bill
                and line.bill.id in bill_ids else None,
                'bill_number': line.bill.number if line.bill else None,
                'resource': resource_short(line.resource),
                'period_start': line.period_start,
                'period_end': line.period_end,
                'principal': amount(line.principal if line.principal
                    is not None else line.amount),
                'late_fee': amount(line.late_fee),
                'discount': amount(line.discount),
                'amount': amount(line.amount),
                'refunded': amount(line.refunded),
                })
    return {
        'receipt': receipt(record),
        'payer': record.party.name,
        'void_date': record.void_date,
        'lines': lines,
        'payments': [{'method': p.method.name, 'amount': amount(p.amount)}
            for p in record.payments],
        'pdf': f'owner/receipts/{record.id}/pdf',
        }


# ---------------------------------------------------------------------------
# Notices

ATTACHMENT_SCHEMA = component('Attachment', obj({
            'id': integer(),
            'name': string(),
            'size': nullable(integer()),
            'url': string(description="Path relative to the API base."),
            }, required=['id', 'name', 'url']))

NOTICE_SCHEMA = component('Notice', obj({
            'id': integer(),
            'title': string(),
            'summary': string(),
            'pinned': boolean(),
            'publish_start': datetime(),
            'publish_end': nullable(datetime()),
            'read': boolean(),
            }, required=['id', 'title', 'pinned', 'read']))


def notice(record, read):
    return {
        'id': record.id,
        'title': record.title,
        'summary': record.summary,
        'pinned': bool(record.pinned),
        'publish_start': record.publish_start,
        'publish_end': record.publish_end,
        'read': read,
        }


NOTICE_DETAIL_SCHEMA = obj({
        'notice': NOTICE_SCHEMA,
        'body': string(description="Sanitized HTML."),
        'projects': arr(REF_SCHEMA),
        'attachments': arr(ATTACHMENT_SCHEMA),
        }, required=['notice', 'body', 'attachments'])


def notice_detail(record, attachments):
    return {
        'notice': notice(record, True),
        'body': record.body or '',
        'projects': [ref(p, p.name) for p in record.projects],
        'attachments': [{
                'id': a.id,
                'name': a.name,
                'size': a.data_size,
                'url': f'owner/notices/{record.id}/attachments/{a.id}',
                } for a in attachments],
        }


SESSION_SCHEMA = obj({
        'token': string(description="Send as \"Authorization: Bearer "
            "<token>\"."),
        'expires_at': datetime(),
        'verified': boolean(),
        'owner': nullable(OWNER_SCHEMA),
        'linked_resources': arr(RESOURCE_SHORT_SCHEMA),
        }, required=['token', 'expires_at', 'verified'])


def session(token, expires_at, web_user, linked=()):
    return {
        'token': token,
        'expires_at': expires_at,
        'verified': bool(web_user.party),
        'owner': owner(web_user.party),
        'linked_resources': [resource_short(r) for r in linked],
        }
