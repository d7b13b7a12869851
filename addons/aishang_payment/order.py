# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.aishang_cashier import settle
from trytond.modules.aishang_property.tools import lock_together
from trytond.pool import Pool
from trytond.pyson import Eval

from .channel import KINDS, channel_errors
from .channel_base import OrderInfo
from .exceptions import PaymentChannelError, PaymentOrderError
from .settlement import (
    OPEN, PAYABLE, ZERO, OrderSettlementMixin, aware, logger, naive, utcnow)

__all__ = ['Order', 'OrderLine', 'aware', 'naive', 'utcnow']

STATES = [
    ('draft', "Draft"),
    ('pending', "Pending"),
    ('paid', "Paid"),
    ('failed', "Failed"),
    ('cancelled', "Cancelled"),
    ('expired', "Expired"),
    ('exception', "To Check"),
    ]


class Order(OrderSettlementMixin, Workflow, ModelSQL, ModelView):
    """An owner's online payment of bills: its amount is the bills' balance
    computed here, its number (out_trade_no) is what the channel knows"""
    __name__ = 'property.payment.order'
    __string__ = "Payment Order"
    _rec_name = 'out_trade_no'

    out_trade_no = fields.Char("Order Number", readonly=True,
        help="The merchant order number sent to the channel.")
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    project = fields.Many2One(
        'property.project', "Project", required=True, readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One(
        'party.party', "Owner", required=True, readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    channel = fields.Many2One(
        'property.payment.channel', "Channel", required=True, readonly=True,
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    channel_kind = fields.Function(
        fields.Selection(KINDS, "Channel Kind"), 'on_change_with_channel_kind')
    lines = fields.One2Many(
        'property.payment.order.line', 'order', "Bills", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True, help="The open balance of the bills, computed by the "
        "server when the order was made.")
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    expires_at = fields.DateTime("Pay Before", readonly=True)
    transaction_id = fields.Char("Channel Transaction", readonly=True,
        help="The channel's number of the payment.")
    paid_amount = fields.Numeric("Paid Amount", digits=(16, 2),
        readonly=True)
    notified_at = fields.DateTime("Notified At", readonly=True,
        help="When the channel's notice of the payment was processed.")
    paid_at = fields.DateTime("Paid At", readonly=True)
    receipt = fields.Many2One(
        'property.receipt', "Receipt", readonly=True, ondelete='RESTRICT')
    openid = fields.Char("OpenID", readonly=True)
    client_ip = fields.Char("Client IP", readonly=True)
    return_url = fields.Char("Return URL", readonly=True)
    channel_data = fields.Dict(None, "Channel Data", readonly=True)
    note = fields.Text("Note", readonly=True,
        help="Why the order failed or needs to be checked.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('out_trade_no_uniq', Unique(t, t.out_trade_no),
                'aishang_payment.msg_order_out_trade_no_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.expires_at, Index.Range()),
                    where=t.state == 'pending'),
                Index(t, (t.channel, Index.Equality()),
                    (t.paid_at, Index.Range())),
                })
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'pending'),
            ('draft', 'cancelled'),
            ('pending', 'cancelled'),
            ('pending', 'expired'),
            ('exception', 'paid'),
            } | {(s, 'paid') for s in PAYABLE} | {
            (s, 'exception') for s in PAYABLE} | {
            (s, 'failed') for s in ['pending', 'expired']}
        cls._buttons.update({
                'query': {
                    'invisible': ~Eval('state').in_(PAYABLE),
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'pending']),
                    'depends': ['state'],
                    },
                'retry': {
                    'invisible': Eval('state') != 'exception',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('channel')
    def on_change_with_channel_kind(self, name=None):
        return self.channel.kind if self.channel else None

    def get_rec_name(self, name):
        return self.out_trade_no or f'({self.id})'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('out_trade_no',) + tuple(clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('out_trade_no'):
            company_id = values.get('company')
            config = Pool().get('property.payment.configuration')(1)
            sequence = config.get_multivalue(
                'order_sequence', company=company_id)
            if sequence:
                values['out_trade_no'] = sequence.get()
        return values

    @classmethod
    def copy(cls, orders, default=None):
        default = default.copy() if default is not None else {}
        for field in ['out_trade_no', 'transaction_id', 'paid_amount',
                'notified_at', 'paid_at', 'receipt', 'channel_data', 'note',
                'expires_at']:
            default.setdefault(field, None)
        default.setdefault('state', 'draft')
        return super().copy(orders, default=default)

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode == 'delete':
            for order in orders:
                if order.state != 'draft':
                    raise PaymentOrderError(gettext(
                            'aishang_payment.msg_order_delete',
                            order=order.rec_name))

    # Creation ------------------------------------------------------------

    @classmethod
    def create_for_bills(cls, party, bill_ids, channel, client=None):
        """Make the order by which party pays bill_ids through channel (a
        channel, its id, code or kind) and register it with the channel.

        The amount is the bills' balance. client may give 'openid' (WeChat),
        'ip' and 'return_url'. The same pending order is returned when it is
        asked for again.
        """
        pool = Pool()
        Bill = pool.get('property.bill')
        Party = pool.get('party.party')
        Channel = pool.get('property.payment.channel')
        Line = pool.get('property.payment.order.line')
        client = client or {}
        party = Party(int(party))
        ids = sorted({int(b) for b in bill_ids or []})
        if not ids:
            raise PaymentOrderError(gettext(
                    'aishang_payment.msg_order_no_bill'))
        # Two orders for the same bills are made one after the other
        lock_together((Bill, ids))
        bills = Bill.search([('id', 'in', ids)])
        if len(bills) != len(ids):
            raise PaymentOrderError(gettext(
                    'aishang_payment.msg_order_bill_unknown'))
        cls.check_bills(party, bills)
        project = bills[0].project
        channel = Channel.find(project, channel)
        if not channel.method.offered_in(project):
            raise PaymentChannelError(gettext(
                    'aishang_payment.msg_channel_method_project',
                    channel=channel.rec_name, project=project.rec_name))
        existing = cls.check_pending(party, channel, bills)
        if existing:
            return existing
        amount = sum((b.balance for b in bills), ZERO)
        if amount <= 0:
            raise PaymentOrderError(gettext(
                    'aishang_payment.msg_order_zero'))
        order = cls(
            company=project.company, project=project, party=party,
            channel=channel, amount=amount,
            openid=client.get('openid'), client_ip=client.get('ip'),
            return_url=client.get('return_url'),
            expires_at=naive(utcnow() + dt.timedelta(
                    minutes=channel.expiry)),
            lines=[Line(bill=b, amount=b.balance)
                for b in sorted(bills, key=cls._bill_order)])
        order.save()
        cls.submit([order])
        return order

    @staticmethod
    def _bill_order(bill):
        return (bill.period_start or dt.date.min, bill.id)

    @classmethod
    def check_bills(cls, party, bills):
        """Refuse bills that are not open, not the party's, of several
        projects, or that leave an older bill of their fee item open
        (DOMAIN_RULES 9)."""
        pool = Pool()
        Bill = pool.get('property.bill')
        Receipt = pool.get('property.receipt')
        ReceiptLine = pool.get('property.receipt.line')
        for bill in bills:
            if bill.state not in OPEN:
                raise PaymentOrderError(gettext(
                        'aishang_payment.msg_order_bill_not_open',
                        bill=bill.rec_name))
            owners = bill.resource.owners if bill.resource else []
            if bill.party != party and party not in owners:
                raise PaymentOrderError(gettext(
                        'aishang_payment.msg_order_bill_other_owner',
                        bill=bill.rec_name))
        if len({b.project for b in bills}) > 1:
            raise PaymentOrderError(gettext(
                    'aishang_payment.msg_order_projects'))
        dues = [ReceiptLine.due_of(b) for b in bills]
        parts = [settle.Part(d.key, d.principal, d.late_fee) for d in dues]
        older = Receipt._oldest_open_outside([b.id for b in bills])
        offending = settle.check_oldest_first(dues, parts, older)
        if offending:
            group = next(d.group for d in dues if d.key == offending)
            raise PaymentOrderError(gettext(
                    'aishang_payment.msg_order_oldest_first',
                    bill=Bill(offending).rec_name,
                    older=Bill(older[group][1]).rec_name))

    @classmethod
    def check_pending(cls, party, channel, bills):
        """Return the pending order of party for exactly bills through
        channel; refuse bills that another pending order covers."""
        Line = Pool().get('property.payment.order.line')
        lines = Line.search([
                ('bill', 'in', [b.id for b in bills]),
                ('order.state', 'in', ['draft', 'pending']),
                ('order.expires_at', '>', naive(utcnow())),
                ])
        if not lines:
            return None
        orders = {l.order for l in lines}
        order = lines[0].order
        if (len(orders) == 1 and order.state == 'pending'
                and order.party == party and order.channel == channel
                and {l.bill for l in order.lines} == set(bills)
                and all(l.amount == l.bill.balance for l in order.lines)):
            return order
        raise PaymentOrderError(gettext(
                'aishang_payment.msg_order_bill_pending',
                bill=lines[0].bill.rec_name, order=order.rec_name))

    def payment_info(self):
        return OrderInfo(
            out_trade_no=self.out_trade_no,
            amount=self.amount,
            description=gettext('aishang_payment.msg_order_description',
                project=self.project.name, order=self.out_trade_no),
            created=aware(self.create_date) or utcnow(),
            expires=aware(self.expires_at),
            openid=self.openid,
            client_ip=self.client_ip,
            return_url=self.return_url,
            data=dict(self.channel_data or {}))

    @classmethod
    @Workflow.transition('pending')
    def submit(cls, orders):
        "Register the orders with their channel (WeChat's prepay id…)"
        for order in orders:
            if order.channel.kind == 'wechat' and not order.openid:
                raise PaymentOrderError(gettext(
                        'aishang_payment.msg_order_openid_required'))
            with channel_errors(order.channel):
                adapter = order.channel.get_adapter()
                order.channel_data = adapter.prepare(order.payment_info())
        cls.save(orders)

    def channel_parameters(self):
        "What the owner's client needs to pay the order through its channel"
        if self.state != 'pending':
            raise PaymentOrderError(gettext(
                    'aishang_payment.msg_order_not_pending',
                    order=self.rec_name, state=self.state_string))
        with channel_errors(self.channel):
            adapter = self.channel.get_adapter()
            return adapter.client_parameters(self.payment_info())

    def to_api(self):
        "The order as plain JSON for the owner API"
        return {
            'id': self.id,
            'out_trade_no': self.out_trade_no,
            'state': self.state,
            'state_string': self.state_string,
            'channel': self.channel.kind,
            'amount': str(self.amount),
            'expires_at': (aware(self.expires_at).isoformat()
                if self.expires_at else None),
            'paid_at': (aware(self.paid_at).isoformat()
                if self.paid_at else None),
            'receipt': self.receipt.number if self.receipt else None,
            'receipt_id': self.receipt.id if self.receipt else None,
            'bills': [{'id': l.bill.id, 'number': l.bill.rec_name,
                    'amount': str(l.amount)} for l in self.lines],
            }

    @classmethod
    @Workflow.transition('paid')
    def pay(cls, orders):
        pass

    @classmethod
    @Workflow.transition('exception')
    def flag(cls, orders):
        for order in orders:
            logger.warning("payment order %s paid but to check: %s",
                order.out_trade_no, order.note)

    @classmethod
    @Workflow.transition('failed')
    def fail(cls, orders):
        pass

    @classmethod
    @Workflow.transition('expired')
    def expire(cls, orders):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, orders):
        "Give up orders; the channel is told, a late payment still counts"
        for order in orders:
            if order.state != 'pending':
                continue
            try:
                with channel_errors(order.channel):
                    order.channel.get_adapter().close(order.payment_info())
            except PaymentChannelError as exception:
                logger.warning("closing %s: %s", order.out_trade_no,
                    exception.message)

    @classmethod
    @ModelView.button
    def retry(cls, orders):
        """Collect the receipt of paid orders to check, once their bills
        allow it (e.g. after the duplicate receipt was voided)"""
        orders = [o for o in orders if o.state == 'exception']
        if orders:
            lock_together(*cls.payment_locks(orders))
            cls.collect(cls.browse(orders))



class OrderLine(ModelSQL, ModelView):
    "A bill an online payment order pays, with its balance at the time"
    __name__ = 'property.payment.order.line'
    __string__ = "Payment Order Bill"
    order = fields.Many2One(
        'property.payment.order', "Order", required=True, ondelete='CASCADE')
    bill = fields.Many2One(
        'property.bill', "Bill", required=True, ondelete='RESTRICT')
    resource = fields.Function(fields.Many2One(
            'property.resource', "Resource"), 'get_bill_field')
    fee_item = fields.Function(fields.Many2One(
            'property.fee_item', "Fee Item"), 'get_bill_field')
    period_start = fields.Function(
        fields.Date("Period Start"), 'get_bill_field')
    period_end = fields.Function(fields.Date("Period End"), 'get_bill_field')
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        help="The bill's balance when the order was made.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('order')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.order, Index.Equality())),
                Index(t, (t.bill, Index.Equality())),
                })
        cls._order = [('order', 'DESC'), ('id', 'ASC')]

    def get_bill_field(self, name):
        value = getattr(self.bill, name)
        return value.id if isinstance(value, ModelSQL) else value
