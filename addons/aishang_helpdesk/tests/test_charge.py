# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Chargeable repairs (T7): completion bills the owner, cancellation voids"
from decimal import Decimal

from trytond.modules.aishang_billing.tests.tools import create_fee_item
# Absolute: pytest also imports the tests under the bare package name
from trytond.modules.aishang_helpdesk.exceptions import (
    TicketBillError, TicketTransitionError)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from .tools import report, setup_helpdesk

D = Decimal


class HelpdeskChargeTestCase(_DBTestCase):
    "Bills of chargeable repairs, with billing activated"
    module = 'aishang_helpdesk'
    extras = ['aishang_billing']

    def repair(self, fixture, lines, area='private', **values):
        "A repair worked on up to completion with lines"
        Ticket = Pool().get('helpdesk.ticket')
        ticket = report(fixture, area=area, **values)
        Ticket.accept([ticket])
        Ticket.dispatch([ticket], fixture['zhang'])
        Ticket.take([ticket])
        Ticket.start([ticket])
        ticket.lines = [{
                'kind': kind, 'description': description,
                'quantity': D(quantity), 'unit_price': D(price),
                'chargeable': chargeable,
                } for kind, description, quantity, price, chargeable
            in lines]
        ticket.save()
        return ticket

    @with_transaction()
    def test_charge(self):
        "A repair is billed on completion; cancelling voids the bill"
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        Bill = pool.get('property.bill')
        BillChange = pool.get('property.bill.change')
        Configuration = pool.get('helpdesk.configuration')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            lines = [
                ('labour', "上门维修", '1', '80.00', True),
                # 2.5 × 10.05 = 25.125: half up gives 25.13, not 25.12
                ('material', "PPR 管 (米)", '2.5', '10.05', True),
                ('tool', "管钳", '1', '5.00', False),
                ]
            ticket = self.repair(fixture, lines)
            self.assertEqual(ticket.charge_total, D('105.13'))

            # Without the repair fee item the completion is refused
            with self.assertRaises(TicketBillError):
                Ticket.complete([ticket])
            fee_item = create_fee_item(company, 'WXF', "维修费",
                category='temporary')
            config = Configuration(1)
            config.repair_fee_item = fee_item
            config.save()

            Ticket.complete([ticket])
            bill = ticket.bill
            self.assertEqual(
                (bill.state, bill.amount, bill.party, bill.resource,
                    bill.fee_item, bill.origin, bill.period_key),
                ('open', D('105.13'), fixture['owner'], fixture['home'],
                    fee_item, 'ticket', None))
            self.assertIn(ticket.number, bill.description)

            # Cancelled before payment: the bill is voided, logged
            Ticket.cancel([ticket], "业主不同意收费")
            self.assertEqual((ticket.state, bill.state),
                ('cancelled', 'void'))
            change, = BillChange.search([('bill', '=', bill.id)])
            self.assertEqual((change.new_value, change.reason),
                ('void', "业主不同意收费"))

            # Paid: the cancellation is refused and nothing changes
            paid = self.repair(fixture, lines[:1])
            Ticket.complete([paid])
            Bill.write([paid.bill], {'paid': D('80.00'), 'state': 'paid'})
            with self.assertRaises(TicketBillError) as cm:
                Ticket.cancel([paid], "重复")
            self.assertIn(paid.bill.number, cm.exception.message)
            self.assertEqual((paid.state, paid.bill.state), ('done', 'paid'))

            # Reopened and completed with other charges: billed again
            again = self.repair(fixture, lines[:1])
            Ticket.complete([again])
            first_bill = again.bill
            Ticket.reopen([again], "漏项")
            Ticket.dispatch([again], fixture['li'])
            Ticket.take([again])
            Ticket.start([again])
            again.lines = list(again.lines) + [{
                    'kind': 'material', 'description': "生料带",
                    'quantity': D(1), 'unit_price': D('3.50'),
                    'chargeable': True}]
            again.save()
            Ticket.complete([again])
            self.assertEqual(first_bill.state, 'void')
            self.assertEqual(
                (again.bill.state, again.bill.amount), ('open', D('83.50')))

            # Nothing billed for public areas or without charges
            public = self.repair(fixture, lines[:1], area='public')
            free = self.repair(fixture, [lines[2]])
            Ticket.complete([public, free])
            self.assertEqual([public.bill, free.bill], [None, None])
            self.assertEqual(Bill.search_count([]), 4)
            with self.assertRaises(TicketTransitionError):
                Ticket.complete([public])
