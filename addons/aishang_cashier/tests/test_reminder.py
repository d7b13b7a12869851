# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Overdue reminders through the outbox, logged as evidence (S6)"
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.aishang_billing.tests.tools import with_transaction
from trytond.pool import Pool

from .tools import (
    CashierTestCase, create_bills, create_household, draft_receipt,
    setup_cashier)

D = Decimal


class AishangReminderTestCase(CashierTestCase):
    "Reminders"

    @with_transaction()
    def test_remind_owners_owing(self):
        pool = Pool()
        Template = pool.get('message.template')
        Reminder = pool.get('property.reminder')
        Outbox = pool.get('message.outbox')
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            _, paid_home, paid_owner = create_household(
                company, number='302')
            create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85', '205.85'], first=dt.date(2025, 1, 1))
            paid, = create_bills(paid_home, paid_owner,
                setup['fee_items']['WYF'], ['205.85'],
                first=dt.date(2025, 1, 1))
            Receipt.collect([draft_receipt(paid_home, paid_owner,
                        [(paid, '205.85')],
                        [(setup['methods']['cash'], '205.85')])])
            template, = Template.create([{
                        'company': company.id, 'code': 'overdue',
                        'name': "欠费提醒", 'variables': (
                            'name,amount,count,oldest_due,project'),
                        'subject': "${project}缴费提醒",
                        'body': "${name}您好，您有${count}笔物业费共"
                        "${amount}元未缴，最早应缴日期${oldest_due}。"}])
            reminder, = Reminder.create([{
                        'company': company.id, 'name': "月度欠费提醒",
                        'overdue_days': 30, 'min_amount': D('100'),
                        'interval_days': 7, 'template': template.id}])

            Reminder.run([reminder])
            message, = Outbox.search([])
            self.assertEqual(message.party, owner)
            self.assertEqual(message.address, owner.owner_phone)
            self.assertEqual(message.subject, "翠湖花园缴费提醒")
            self.assertEqual(message.body,
                f"{owner.name}您好，您有2笔物业费共411.70元未缴，"
                "最早应缴日期2025-02-01。")
            log, = reminder.logs
            self.assertEqual((log.party, log.bill_count, log.amount),
                (owner, 2, D('411.70')))
            self.assertEqual(log.message, message)

            # within the interval nobody is reminded again
            Reminder.run([reminder])
            self.assertEqual(Outbox.search_count([]), 1)
            # a minimum above the debt reminds nobody
            reminder.min_amount = D('500')
            reminder.interval_days = 1
            reminder.save()
            pool.get('property.reminder.log').write(list(reminder.logs), {
                    'date': dt.datetime.now() - dt.timedelta(days=2)})
            Reminder.run([reminder])
            self.assertEqual(Outbox.search_count([]), 1)
