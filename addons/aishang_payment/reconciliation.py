# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
import logging
import os
import re

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from . import statement
from .channel import setting
from .channel_base import CST
from .exceptions import ReconciliationError

logger = logging.getLogger(__name__)

STATUSES = [
    (statement.MATCHED, "Matched"),
    (statement.MISSING_STATEMENT, "Missing in Statement"),
    (statement.MISSING_SYSTEM, "Missing in System"),
    (statement.AMOUNT_MISMATCH, "Amount Mismatch"),
    ]
# <channel code>_<date>.csv in the statement folder, e.g. wx_main_20260105.csv
FILE_NAME = re.compile(
    r'^(?P<code>[a-z][a-z0-9_]*)_(?P<date>\d{4}-?\d{2}-?\d{2})\.csv$')


class Reconciliation(Workflow, ModelSQL, ModelView):
    """The comparison of a channel's daily statement with the orders paid
    through it that day (对账)"""
    __name__ = 'property.payment.reconciliation'
    __string__ = "Payment Reconciliation"
    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    channel = fields.Many2One(
        'property.payment.channel', "Channel", required=True,
        states=_states, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    date = fields.Date("Date", required=True, states=_states,
        help="The day of the statement (China time).")
    statement = fields.Binary("Statement", filename='statement_name',
        required=True, states=_states,
        help="The channel's statement file of the day (CSV).")
    statement_name = fields.Char("Statement Name", states=_states)
    lines = fields.One2Many(
        'property.payment.reconciliation.line', 'reconciliation', "Lines",
        readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    matched = fields.Function(fields.Integer("Matched"), 'get_counts')
    differences = fields.Function(
        fields.Integer("Differences"), 'get_counts')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('channel_date_uniq', Unique(t, t.channel, t.date),
                'aishang_payment.msg_reconciliation_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'done'), ('done', 'draft')}
        cls._buttons.update({
                'reconcile': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'done',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today() - dt.timedelta(days=1)

    def get_rec_name(self, name):
        return f'{self.channel.rec_name} {self.date}'

    @classmethod
    def get_counts(cls, reconciliations, names):
        result = {n: {r.id: 0 for r in reconciliations} for n in names}
        for reconciliation in reconciliations:
            for line in reconciliation.lines:
                name = ('matched' if line.status == statement.MATCHED
                    else 'differences')
                if name in result:
                    result[name][reconciliation.id] += 1
        return result

    def day_window(self):
        "The statement's day as naive UTC datetimes [start, end)"
        zone = (tz.get_tzinfo(self.company.timezone)
            if self.company.timezone else CST)
        start = dt.datetime.combine(self.date, dt.time(), tzinfo=zone)
        end = start + dt.timedelta(days=1)
        return tuple(d.astimezone(dt.timezone.utc).replace(tzinfo=None)
            for d in (start, end))

    def rows(self):
        "The statement's payments; a bad file is refused naming its line"
        try:
            return statement.parse_statement(self.statement or b'')
        except statement.StatementError as exception:
            line, reason = exception.args
            raise ReconciliationError(gettext(
                    'aishang_payment.msg_reconciliation_statement',
                    reconciliation=self.rec_name, line=line,
                    reason=reason)) from exception

    def payments(self):
        "Our orders paid that day through the channel's merchant account"
        Order = Pool().get('property.payment.order')
        start, end = self.day_window()
        return Order.search([
                ('company', '=', self.company.id),
                ('channel.kind', '=', self.channel.kind),
                ('channel.merchant_id', '=', self.channel.merchant_id),
                ('state', 'in', ['paid', 'exception']),
                ('paid_at', '>=', start),
                ('paid_at', '<', end),
                ], order=[('paid_at', 'ASC'), ('id', 'ASC')])

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def reconcile(cls, reconciliations):
        "Compare the statements with the orders, line by line"
        pool = Pool()
        Line = pool.get('property.payment.reconciliation.line')
        Order = pool.get('property.payment.order')
        Line.delete([l for r in reconciliations for l in r.lines])
        to_create = []
        for reconciliation in reconciliations:
            rows = reconciliation.rows()
            orders = reconciliation.payments()
            comparisons = statement.compare([statement.SystemPayment(
                        o.out_trade_no, o.paid_amount or o.amount,
                        o.transaction_id) for o in orders], rows)
            by_number = {o.out_trade_no: o for o in orders}
            missing = [c.out_trade_no for c in comparisons
                if c.out_trade_no not in by_number]
            # a payment the system missed may still have its order
            for order in Order.search([('out_trade_no', 'in', missing)]):
                by_number[order.out_trade_no] = order
            for comparison in comparisons:
                order = by_number.get(comparison.out_trade_no)
                to_create.append({
                        'reconciliation': reconciliation.id,
                        'status': comparison.status,
                        'out_trade_no': comparison.out_trade_no,
                        'transaction_id': comparison.transaction_id,
                        'statement_amount': comparison.statement_amount,
                        'order_amount': comparison.order_amount,
                        'order': order.id if order else None,
                        'statement_line': comparison.line,
                        })
        Line.create(to_create)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, reconciliations):
        pass

    @classmethod
    def cron_import_statements(cls):
        """Reconcile the statements put in the configured folder
        (statement_dir), named <channel code>_<YYYYMMDD>.csv, once each"""
        Channel = Pool().get('property.payment.channel')
        folder = setting('statement_dir')
        if not folder or not os.path.isdir(folder):
            return []
        done = []
        for name in sorted(os.listdir(folder)):
            match = FILE_NAME.match(name)
            if not match:
                continue
            channel = Channel.from_code(match['code'])
            if not channel:
                continue
            digits = match['date'].replace('-', '')
            try:
                date = dt.date(
                    int(digits[:4]), int(digits[4:6]), int(digits[6:]))
            except ValueError:
                continue
            if cls.search([('channel', '=', channel.id),
                        ('date', '=', date)], limit=1):
                continue
            with open(os.path.join(folder, name), 'rb') as file:
                data = file.read()
            try:
                statement.parse_statement(data)
            except statement.StatementError as exception:
                logger.error("statement %s unreadable at line %s: %s",
                    name, *exception.args)
                continue
            reconciliation, = cls.create([{
                        'company': channel.company.id,
                        'channel': channel.id, 'date': date,
                        'statement': data, 'statement_name': name,
                        }])
            done.append(reconciliation)
        cls.reconcile(done)
        return done


class ReconciliationLine(ModelSQL, ModelView):
    "One payment compared between the channel's statement and our orders"
    __name__ = 'property.payment.reconciliation.line'
    __string__ = "Payment Reconciliation Line"
    reconciliation = fields.Many2One(
        'property.payment.reconciliation', "Reconciliation", required=True,
        ondelete='CASCADE')
    status = fields.Selection(STATUSES, "Status", required=True, sort=False)
    status_string = status.translated('status')
    out_trade_no = fields.Char("Order Number")
    transaction_id = fields.Char("Channel Transaction")
    order = fields.Many2One('property.payment.order', "Order",
        ondelete='SET NULL')
    order_state = fields.Function(fields.Selection(
            'get_order_states', "Order State"), 'get_order_state')
    statement_amount = fields.Numeric("Statement Amount", digits=(16, 2))
    order_amount = fields.Numeric("Order Amount", digits=(16, 2))
    statement_line = fields.Integer("Statement Line")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('reconciliation')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.reconciliation, Index.Equality())))
        cls._order = [('reconciliation', 'DESC'), ('id', 'ASC')]

    @classmethod
    def get_order_states(cls):
        Order = Pool().get('property.payment.order')
        return [(None, '')] + Order.fields_get(['state'])['state'][
            'selection']

    def get_order_state(self, name):
        return self.order.state if self.order else None
