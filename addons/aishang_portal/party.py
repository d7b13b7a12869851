# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""What an owner sees in the app: the one place that scopes the owner API.

The API runs as root (web_user sessions have no res.user), so every
handler takes its records through these domains, never through filters of
its own:

* resources: those the owner holds an ownership of today;
* bills: billed to the owner, or of their resources for periods ending
  from the start of their ownership (not a previous owner's);
* receipts: paid by the owner, or of their resources since their
  ownership started;
* tickets: those the owner reported (from the app or through customer
  service);
* notices: published, in their window, for the owner's projects (and
  buildings, when a notice names buildings).
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.aishang_cashier import settle
from trytond.pool import Pool, PoolMeta

from .exceptions import ConflictError, NotFoundError

ZERO = Decimal(0)
BILL_STATES = ['open', 'partial', 'paid']
PAYABLE_STATES = ['open', 'partial']
RECEIPT_STATES = ['done', 'void']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    def _portal_ownership_domain(self, date=None):
        pool = Pool()
        Ownership = pool.get('property.ownership')
        if date is None:
            date = pool.get('ir.date').today()
        return [
            ('party', '=', self.id),
            ('resource.active', '=', True),
            Ownership.in_force_domain(date),
            ]

    def portal_ownerships(self, date=None):
        "The ownerships of the owner in force on date (today)"
        Ownership = Pool().get('property.ownership')
        return Ownership.search(self._portal_ownership_domain(date),
            order=[('resource', 'ASC'), ('id', 'ASC')])

    def portal_projects(self):
        "The projects where the owner holds a resource today, by id"
        projects = {o.resource.project for o in self.portal_ownerships()}
        return sorted(projects, key=lambda p: p.id)

    def portal_resource_starts(self):
        "{resource id: start of the owner's ownership (None: always)}"
        Ownership = Pool().get('property.ownership')
        starts = {}
        # every owner request scopes by it: read two columns only
        for ownership in Ownership.search_read(
                self._portal_ownership_domain(),
                order=[('resource', 'ASC'), ('id', 'ASC')],
                fields_names=['resource', 'start_date']):
            resource_id = ownership['resource']
            start = ownership['start_date']
            if resource_id in starts:
                current = starts[resource_id]
                start = None if current is None or start is None else min(
                    current, start)
            starts[resource_id] = start
        return starts

    def _portal_resource_clauses(self, date_field):
        by_start = defaultdict(list)
        for resource_id, start in self.portal_resource_starts().items():
            by_start[start].append(resource_id)
        clauses = []
        for start, resource_ids in by_start.items():
            clause = [('resource', 'in', resource_ids)]
            if start:
                clause.append(['OR',
                        (date_field, '>=', start),
                        (date_field, '=', None),
                        ])
            clauses.append(clause)
        return clauses

    def portal_bill_domain(self):
        return [
            ('state', 'in', BILL_STATES),
            ['OR', ('party', '=', self.id),
                *self._portal_resource_clauses('period_end')],
            ]

    def portal_receipt_domain(self):
        return [
            ('state', 'in', RECEIPT_STATES),
            ['OR', ('party', '=', self.id),
                *self._portal_resource_clauses('date')],
            ]

    def portal_notice_domain(self, now=None):
        now = now or dt.datetime.now()
        projects, buildings = set(), set()
        for ownership in self.portal_ownerships():
            resource = ownership.resource
            projects.add(resource.project.id)
            if resource.building:
                buildings.add(resource.building.id)
        return [
            ('state', '=', 'published'),
            ('publish_start', '<=', now),
            ['OR', ('publish_end', '=', None), ('publish_end', '>', now)],
            ('projects', 'in', sorted(projects)),
            ['OR',
                ('buildings', '=', None),
                ('buildings', 'in', sorted(buildings)),
                ],
            ]

    def portal_inbox_domain(self, unread=False):
        "The in-app messages the outbox delivered to the owner"
        domain = [
            ('party', '=', self.id),
            ('channel', '=', 'in_app'),
            ('state', '=', 'sent'),
            ]
        if unread:
            domain.append(('read_date', '=', None))
        return domain

    def portal_ticket_domain(self):
        "The service tickets (aishang_helpdesk) the owner reported"
        return [('reporter', '=', self.id)]

    def portal_check_bills(self, bill_ids):
        """The bills of bill_ids the owner may pay now and their total.

        Refused: a bill the owner does not see (not found, as if it did
        not exist), a bill not owed, and a bill paid while an older one of
        the same resource and fee item stays open (DOMAIN_RULES 9, the
        cashier's rule). The amount is the server's: the bills' balances.
        """
        pool = Pool()
        Bill = pool.get('property.bill')
        Receipt = pool.get('property.receipt')
        Line = pool.get('property.receipt.line')
        bill_ids = list(dict.fromkeys(bill_ids))
        bills = Bill.search([
                ('id', 'in', bill_ids),
                *self.portal_bill_domain(),
                ])
        by_id = {b.id: b for b in bills}
        for bill_id in bill_ids:
            if bill_id not in by_id:
                raise NotFoundError(gettext(
                        'aishang_portal.msg_bill_not_found', id=bill_id),
                    field='bill_ids')
        bills = [by_id[i] for i in bill_ids]
        for bill in bills:
            if bill.state not in PAYABLE_STATES or (bill.balance or ZERO) <= 0:
                raise ConflictError(gettext(
                        'aishang_portal.msg_bill_not_payable',
                        bill=bill.rec_name, state=bill.state_string),
                    code='bill_not_payable',
                    details={'bill_id': bill.id})
        older = Receipt._oldest_open_outside(bill_ids)
        dues = [Line.due_of(b) for b in bills]
        parts = [settle.Part(d.key, d.principal, d.late_fee) for d in dues]
        offending = settle.check_oldest_first(dues, parts, older)
        if offending:
            due = next(d for d in dues if d.key == offending)
            older_bill = Bill(older[due.group][1])
            details = {'bill_id': offending}
            if Bill.search([('id', '=', older_bill.id),
                        *self.portal_bill_domain()]):
                details['older_bill_id'] = older_bill.id
            raise ConflictError(gettext(
                    'aishang_portal.msg_bill_oldest_first',
                    bill=by_id[offending].rec_name,
                    older=older_bill.rec_name,
                    period=older_bill.period_start or '-'),
                code='oldest_first', details=details)
        bills.sort(key=lambda b: (b.period_start or dt.date.min, b.id))
        return bills, sum((b.balance for b in bills), ZERO)
