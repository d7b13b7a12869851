# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Chargeable repairs (T7), registered only when aishang_billing is active.

When a repair of a private area with chargeable lines is completed, a
temporary bill (临时收费) for the resource's primary owner is created and
issued, the way the cashier bills temporary charges. Cancelling the ticket
voids that bill while nothing was paid of it; a paid bill blocks the
cancellation.
"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import TicketBillError
from .ticket import local_date

# Bill states in which nothing was collected and the bill may be voided
VOIDABLE = {'draft', 'open'}

repair_fee_item = fields.Many2One(
    'property.fee_item', "Repair Fee Item", ondelete='RESTRICT',
    domain=[
        ('company', '=', Eval('context', {}).get('company', -1)),
        ('category', '=', 'temporary'),
        ],
    help="The temporary fee item chargeable repairs are billed with.")


class Configuration(metaclass=PoolMeta):
    __name__ = 'helpdesk.configuration'
    repair_fee_item = fields.MultiValue(repair_fee_item)

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'repair_fee_item':
            return pool.get('helpdesk.configuration.company')
        return super().multivalue_model(field)


class ConfigurationCompany(metaclass=PoolMeta):
    __name__ = 'helpdesk.configuration.company'
    repair_fee_item = repair_fee_item


class Ticket(metaclass=PoolMeta):
    __name__ = 'helpdesk.ticket'
    bill = fields.Many2One(
        'property.bill', "Bill", readonly=True, ondelete='RESTRICT',
        help="The bill of the chargeable lines, created on completion.")
    # For the users who may not read bills (Sao hides bill from them)
    bill_number = fields.Function(
        fields.Char("Bill Number"), 'get_bill_info')
    bill_state = fields.Function(
        fields.Selection('get_bill_states', "Bill State"), 'get_bill_info')

    @classmethod
    def get_bill_states(cls):
        Bill = Pool().get('property.bill')
        return [(None, "")] + Bill.fields_get(['state'])['state']['selection']

    @classmethod
    def get_bill_info(cls, tickets, names):
        result = {n: {} for n in names}
        for ticket in tickets:
            bill = ticket.bill
            for name, attribute in [
                    ('bill_number', 'number'), ('bill_state', 'state')]:
                if name in result:
                    result[name][ticket.id] = (
                        getattr(bill, attribute) if bill else None)
        return result

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('bill', None)
        return super().copy(tickets, default=default)

    @classmethod
    def _check_step(cls, tickets, step):
        super()._check_step(tickets, step)
        if step == 'complete':
            # Refuse before anything is written what billing would refuse
            for ticket in cls._chargeable(tickets):
                ticket._bill_fee_item()
                ticket._bill_party()
        elif step == 'cancel':
            for ticket in tickets:
                bill = ticket.bill
                if bill and bill.state != 'void' and (
                        bill.state not in VOIDABLE or bill.paid):
                    raise TicketBillError(gettext(
                            'aishang_helpdesk.msg_ticket_cancel_bill_paid',
                            ticket=ticket.rec_name, bill=bill.rec_name))

    @classmethod
    def _enter_state(cls, tickets, step, state, automatic, reason=None):
        super()._enter_state(tickets, step, state, automatic, reason=reason)
        if state == 'done':
            cls.bill_charges(tickets)
        elif state == 'cancelled':
            cls.void_bills(tickets, reason or gettext(
                    'aishang_helpdesk.msg_ticket_bill_void_reason'))

    @classmethod
    def bill_charges(cls, tickets):
        """Bill the chargeable lines of the private-area repairs of tickets
        to the owner of their resource; return the bills created"""
        Bill = Pool().get('property.bill')
        to_bill, to_void = [], []
        for ticket, amount in cls._chargeable(tickets).items():
            bill = ticket.bill
            if bill and bill.state != 'void':
                if bill.amount == amount:
                    continue
                if bill.state not in VOIDABLE or bill.paid:
                    raise TicketBillError(gettext(
                            'aishang_helpdesk.msg_ticket_bill_changed',
                            ticket=ticket.rec_name, bill=bill.rec_name))
                to_void.append(ticket)
            to_bill.append((ticket, amount))
        if to_void:
            cls.void_bills(to_void, gettext(
                    'aishang_helpdesk.msg_ticket_bill_recharge_reason'))
        if not to_bill:
            return []
        bills = Bill.create([cls._bill_values(t, a) for t, a in to_bill])
        Bill.issue(bills)
        cls.write(*[x for (ticket, _), bill in zip(to_bill, bills)
                for x in ([ticket], {'bill': bill.id})])
        return bills

    @classmethod
    def _chargeable(cls, tickets):
        "The charge of the private-area repairs of tickets that have one"
        Line = Pool().get('helpdesk.ticket.line')
        charges = Line.charges(tickets)
        return {t: charges[t.id] for t in tickets
            if t.area == 'private' and t.resource and charges[t.id]}

    def _bill_fee_item(self):
        Configuration = Pool().get('helpdesk.configuration')
        fee_item = Configuration(1).get_multivalue(
            'repair_fee_item', company=self.company.id)
        if not fee_item:
            raise TicketBillError(gettext(
                    'aishang_helpdesk.msg_ticket_bill_fee_item',
                    ticket=self.rec_name))
        return fee_item

    def _bill_party(self):
        "The primary owner of the resource, else the reporter"
        owners = self.resource.owners
        party = owners[0] if owners else self.reporter
        if not party:
            raise TicketBillError(gettext(
                    'aishang_helpdesk.msg_ticket_bill_party',
                    ticket=self.rec_name, resource=self.resource.rec_name))
        return party

    def _bill_values(self, amount):
        "The values of the temporary bill of amount for the ticket"
        fee_item = self._bill_fee_item()
        party = self._bill_party()
        # The day of the completion in the company's time zone: today but
        # for tickets dated by the demo data
        today = local_date(self.now(), self.company.timezone)
        return {
            'company': self.company.id,
            'project': self.project.id,
            'resource': self.resource.id,
            'party': party.id,
            'fee_item': fee_item.id,
            'period_start': today,
            'period_end': today,
            # a one-off charge never stands in the way of periodic bills
            'period_key': None,
            'quantity': Decimal(1),
            'unit_price': amount,
            'amount': amount,
            'due_date': today,
            'origin': 'ticket',
            'description': f'{self.rec_name} {self.title}'[:200],
            }

    @classmethod
    def void_bills(cls, tickets, reason):
        """Void the bills of tickets that nothing was collected of, logged
        and their posting reversed, as billing voids issued bills"""
        pool = Pool()
        Bill = pool.get('property.bill')
        BillChange = pool.get('property.bill.change')
        bills = [t.bill for t in tickets
            if t.bill and t.bill.state in VOIDABLE and not t.bill.paid]
        for bill in bills:
            BillChange.log(bill, 'state', bill.state, 'void', reason)
            if bill.move:
                Bill.post_amounts(bill.company, bill.project,
                    [(bill.fee_item.id, -(bill.amount
                                - (bill.discount or Decimal(0))))],
                    origin=bill)
        if bills:
            Bill.void(bills)
