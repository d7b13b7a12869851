# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from sql.aggregate import Count, Min, Sum

from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

ZERO = Decimal(0)
# The variables a reminder template may use
VARIABLES = 'name,amount,count,oldest_due,project'


class Reminder(DeactivableMixin, ModelSQL, ModelView):
    """An overdue reminder (欠费提醒) or demand notice (催告) sent on a
    schedule to the owners who owe, through the message outbox (S6)"""
    __name__ = 'property.reminder'
    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True)
    kind = fields.Selection([
            ('reminder', "Reminder"),
            ('demand', "Demand Notice"),
            ], "Kind", required=True,
        help="Demand notices (催告) are the formal step before a lawsuit; "
        "both are logged as evidence. Services are never cut.")
    kind_string = kind.translated('kind')
    project = fields.Many2One(
        'property.project', "Project",
        domain=[('company', '=', Eval('company', -1))],
        help="All the company's projects when empty.")
    overdue_days = fields.Integer(
        "Overdue Days", required=True, domain=[('overdue_days', '>=', 0)],
        help="Remind of bills overdue for at least this many days.")
    min_amount = fields.Numeric(
        "Minimum Amount", digits=(16, 2), required=True,
        help="Owners owing less are not reminded.")
    interval_days = fields.Integer(
        "Interval Days", required=True, domain=[('interval_days', '>', 0)],
        help="An owner is reminded again only after this many days.")
    channel = fields.Selection('get_channels', "Channel", required=True)
    template = fields.Many2One(
        'message.template', "Template", required=True,
        help="Variables: ${name}, ${amount}, ${count}, ${oldest_due} and "
        "${project}.")
    logs = fields.One2Many(
        'property.reminder.log', 'reminder', "Sent", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'run': {'icon': 'tryton-launch'},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'reminder'

    @staticmethod
    def default_overdue_days():
        return 0

    @staticmethod
    def default_min_amount():
        return ZERO

    @staticmethod
    def default_interval_days():
        return 7

    @staticmethod
    def default_channel():
        return 'console'

    @classmethod
    def get_channels(cls):
        Outbox = Pool().get('message.outbox')
        return Outbox.fields_get(['channel'])['channel']['selection']

    @classmethod
    def cron_remind(cls):
        cls.run(cls.search([]))

    @classmethod
    @ModelView.button
    def run(cls, reminders):
        """Queue one message per owner and project owing enough, not
        reminded within the interval, and log each as evidence."""
        pool = Pool()
        Outbox = pool.get('message.outbox')
        Log = pool.get('property.reminder.log')
        Party = pool.get('party.party')
        Project = pool.get('property.project')
        now = dt.datetime.now()
        for reminder in reminders:
            rows = reminder.owing(now.date())
            recent = reminder.recently_reminded(now)
            rows = [r for r in rows if (r[0], r[1]) not in recent]
            if not rows:
                continue
            parties = {p.id: p for p in Party.browse({r[0] for r in rows})}
            projects = {p.id: p for p in Project.browse(
                    {r[1] for r in rows})}
            messages, logs = [], []
            for party_id, project_id, count, amount, oldest in rows:
                party, project = parties[party_id], projects[project_id]
                subject, body = reminder.template.render({
                        'name': party.rec_name, 'amount': amount,
                        'count': count, 'oldest_due': oldest,
                        'project': project.rec_name,
                        })
                messages.append({
                        'company': reminder.company.id,
                        'channel': reminder.channel,
                        'party': party_id,
                        'address': party.owner_phone,
                        'subject': subject, 'body': body,
                        'origin': str(reminder),
                        })
                logs.append({
                        'reminder': reminder.id, 'party': party_id,
                        'project': project_id, 'date': now,
                        'bill_count': count, 'amount': amount,
                        'oldest_due': oldest, 'channel': reminder.channel,
                        })
            for log, message in zip(logs, Outbox.queue(messages)):
                log['message'] = message.id
            Log.create(logs)

    def owing(self, today):
        """(party, project, bills, amount, oldest due date) of the owners
        owing at least the minimum on bills overdue long enough, in one
        query"""
        Bill = Pool().get('property.bill')
        bill = Bill.__table__()
        cursor = Transaction().connection.cursor()
        where = ((bill.company == self.company.id)
            & bill.state.in_(['open', 'partial'])
            & (bill.party != None)  # noqa: E711
            & (bill.due_date <= today - dt.timedelta(days=self.overdue_days))
            & (bill.balance > 0))
        if self.project:
            where &= bill.project == self.project.id
        cursor.execute(*bill.select(
                bill.party, bill.project, Count(bill.id), Sum(bill.balance),
                Min(bill.due_date),
                where=where,
                group_by=[bill.party, bill.project]))
        rows = []
        for party, project, count, amount, oldest in cursor:
            # SQLite sums Numeric columns as floats and gives dates as text
            amount = Decimal(str(amount)).quantize(Decimal('0.01'))
            if isinstance(oldest, str):
                oldest = dt.date.fromisoformat(oldest)
            # Compared here: SQLite would compare its float sum with the
            # Decimal parameter as text
            if amount < self.min_amount:
                continue
            rows.append((party, project, count, amount, oldest))
        return rows

    def recently_reminded(self, now):
        Log = Pool().get('property.reminder.log')
        log = Log.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*log.select(log.party, log.project,
                where=(log.reminder == self.id)
                & (log.date > now - dt.timedelta(days=self.interval_days))))
        return set(cursor)


class ReminderLog(ModelSQL, ModelView):
    "A reminder sent to an owner, kept as evidence (DOMAIN_RULES 5)"
    __name__ = 'property.reminder.log'
    reminder = fields.Many2One(
        'property.reminder', "Reminder", required=True, readonly=True,
        ondelete='RESTRICT')
    party = fields.Many2One(
        'party.party', "Owner", required=True, readonly=True)
    project = fields.Many2One(
        'property.project', "Project", required=True, readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    bill_count = fields.Integer("Bills", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    oldest_due = fields.Date("Oldest Due Date", readonly=True)
    channel = fields.Char("Channel", readonly=True)
    message = fields.Many2One(
        'message.outbox', "Message", readonly=True, ondelete='RESTRICT')
    message_state = fields.Function(
        fields.Char("Message State"), 'get_message_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('reminder')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.reminder, Index.Equality()),
                (t.party, Index.Equality()), (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    def get_message_state(self, name):
        return self.message.state_string if self.message else None


class Outbox(metaclass=PoolMeta):
    __name__ = 'message.outbox'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['property.reminder']
