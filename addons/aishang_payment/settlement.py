# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""How payment orders get paid: the channels' notifications, queries for
lost notices, expiry; the receipt is collected through the cashier."""
import datetime as dt
import logging
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.modules.aishang_cashier import settle
from trytond.modules.aishang_property.tools import lock_together
from trytond.pool import Pool
from trytond.transaction import Transaction

from .channel_base import ChannelConfigError, ChannelError, NotificationError
from .exceptions import PaymentChannelError

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
UTC = dt.timezone.utc
OPEN = ['open', 'partial']
# A pending order whose time to pay has passed is still queried for so
# long before it expires: the channel may have been paid at the last second
EXPIRY_GRACE = dt.timedelta(minutes=2)
# Notifications come first; the query asks about orders older than this
QUERY_AFTER = dt.timedelta(minutes=1)
# States an order may still be paid in: a late payment is never dropped
PAYABLE = ['pending', 'failed', 'cancelled', 'expired']


def utcnow():
    return dt.datetime.now(UTC)


def naive(datetime):
    "A naive UTC datetime as Tryton stores them"
    return datetime.astimezone(UTC).replace(tzinfo=None)


def aware(datetime):
    return datetime.replace(tzinfo=UTC) if datetime else None


class OrderSettlementMixin:
    "Notifications, queries and expiry of property.payment.order"
    __slots__ = ()

    # Notifications --------------------------------------------------------

    @classmethod
    def process_notification(cls, channel, headers, body):
        """Process a channel's notification; return the HTTP reply the
        channel expects as (status, body, content type).

        The signature, its freshness and the amount are checked before
        anything is written; the order is locked and settled once: a
        duplicate is answered with success and changes nothing."""
        Channel = Pool().get('property.payment.channel')
        channel = Channel.from_code(channel)
        if not channel:
            return 404, 'unknown channel', 'text/plain; charset=utf-8'
        try:
            adapter = channel.get_adapter()
        except PaymentChannelError as exception:
            logger.error("payment channel %s: %s", channel.code,
                exception.message)
            return 500, 'channel not available', 'text/plain; charset=utf-8'
        now = utcnow()
        try:
            notice = adapter.parse_notification(headers, body, now)
            orders = cls.search([
                    ('out_trade_no', '=', notice.out_trade_no),
                    ('channel.kind', '=', channel.kind),
                    ('channel.merchant_id', '=', channel.merchant_id),
                    ], limit=1)
            if not orders:
                raise NotificationError('unknown order')
            order, = orders
            adapter.check_notice(notice, order.amount)
        except NotificationError as exception:
            logger.warning("payment notification of %s refused: %s",
                channel.code, exception.args[0])
            return adapter.reply(False, exception.args[0])
        except ChannelConfigError as exception:
            logger.error("payment channel %s: option %s missing",
                channel.code, exception.args[0])
            return adapter.reply(False, 'configuration', status=500)
        cls.settle_notice(order, notice, now)
        return adapter.reply(True)

    @classmethod
    def payment_locks(cls, orders):
        """Every lock settling orders takes, for lock_together: the orders,
        and what collecting their receipt locks (Receipt.collect)"""
        pool = Pool()
        Bill = pool.get('property.bill')
        Project = pool.get('property.project')
        Sequence = pool.get('ir.sequence.strict')
        Configuration = pool.get('property.billing.configuration')
        projects = list({o.project for o in orders})
        locks = [(cls, orders),
            (Bill, [l.bill for o in orders for l in o.lines]),
            (Project, projects),
            (Sequence, [p.receipt_sequence for p in projects
                    if p.receipt_sequence])]
        for company in {o.company for o in orders}:
            locks.extend(Bill.posting_locks(company,
                    Configuration(1).get_multivalue(
                        'receipt_journal', company=company.id)))
        return locks

    @classmethod
    def settle_notice(cls, order, notice, now):
        """Apply a checked notice to order, once: a payment makes the
        receipt, a closed trade fails a pending order."""
        if order.state == 'paid':
            # final: nothing to lock
            return
        with Transaction().set_user(0), \
                Transaction().set_context(company=order.company.id):
            lock_together(*cls.payment_locks([order]))
            order = cls(order.id)
            if notice.status == 'closed':
                if order.state == 'pending':
                    cls.fail([order])
                return
            if notice.status != 'paid':
                return
            if order.state == 'paid' or (
                    order.state == 'exception' and order.transaction_id):
                if order.transaction_id != notice.transaction_id:
                    logger.warning("order %s paid again as %s",
                        order.out_trade_no, notice.transaction_id)
                return
            order.transaction_id = notice.transaction_id
            order.paid_amount = notice.amount
            order.notified_at = naive(now)
            order.paid_at = naive(now)
            order.save()
            cls.collect([order])

    @classmethod
    def collect(cls, orders):
        """Make and collect the receipt of paid orders through the
        cashier; an order whose bills changed since is to be checked"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        to_pay, to_check = [], []
        for order in orders:
            problem = order.check_collectable()
            if problem:
                order.note = problem
                to_check.append(order)
                continue
            order.receipt = order.draft_receipt()
            to_pay.append(order)
        cls.save(to_check + to_pay)
        if to_pay:
            Receipt.collect([o.receipt for o in to_pay])
            cls.pay(to_pay)
        cls.flag(to_check)

    def _dues(self):
        pool = Pool()
        Bill = pool.get('property.bill')
        ReceiptLine = pool.get('property.receipt.line')
        bills = Bill.browse([l.bill.id for l in self.lines])
        return bills, [ReceiptLine.due_of(b) for b in bills]

    def check_collectable(self):
        """Why the paid amount cannot settle the bills now, or None.

        It settles them oldest first; it may not exceed what they still
        ask for, nor leave an older bill of their fee item open."""
        Receipt = Pool().get('property.receipt')
        bills, dues = self._dues()
        for bill in bills:
            if bill.state not in OPEN:
                return gettext('aishang_payment.msg_order_check_bill',
                    bill=bill.rec_name, state=bill.state_string)
        amount = self.paid_amount
        total = sum((d.principal + d.late_fee for d in dues), ZERO)
        if amount > total:
            return gettext('aishang_payment.msg_order_check_excess',
                amount=amount, due=total)
        parts = settle.allocate_payment(dues, amount)
        older = Receipt._oldest_open_outside([b.id for b in bills])
        offending = settle.check_oldest_first(dues, parts, older)
        if offending:
            return gettext('aishang_payment.msg_order_check_older',
                bill=bills[[b.id for b in bills].index(offending)].rec_name)
        return None

    def draft_receipt(self):
        "The draft receipt of the paid amount, oldest bills first"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        ReceiptLine = pool.get('property.receipt.line')
        Payment = pool.get('property.receipt.payment')
        bills, dues = self._dues()
        parts = settle.allocate_payment(dues, self.paid_amount)
        lines = [ReceiptLine(kind='bill', bill=bill,
                amount=part.principal + part.late_fee,
                **ReceiptLine.bill_values(bill))
            for bill, part in zip(bills, parts)
            if part.principal or part.late_fee]
        resources = {b.resource for b in bills}
        receipt = Receipt(
            company=self.company, project=self.project, party=self.party,
            resource=resources.pop() if len(resources) == 1 else None,
            lines=lines,
            payments=[Payment(method=self.channel.method,
                    amount=self.paid_amount,
                    reference=self.transaction_id)],
            note=gettext('aishang_payment.msg_receipt_note',
                channel=self.channel.rec_name, order=self.out_trade_no,
                transaction=self.transaction_id or ''))
        receipt.save()
        return receipt

    # Queries, expiry ------------------------------------------------------

    @classmethod
    @ModelView.button
    def query(cls, orders):
        "Ask the channels about orders still unpaid and apply the answers"
        cls._query(orders)

    @classmethod
    def _query(cls, orders):
        """Ask the channels about orders still unpaid and apply what they
        answer; return the orders they answered for."""
        orders = [o for o in orders if o.state in PAYABLE]
        if not orders:
            return []
        # all the locks before the channels are called: asking for a lock
        # later would restart the transaction and call them again
        lock_together(*cls.payment_locks(orders))
        now = utcnow()
        answered = []
        for order in cls.browse(orders):
            try:
                adapter = order.channel.get_adapter()
                notice = adapter.query(order.payment_info())
                if notice is not None:
                    adapter.check_notice(notice, order.amount)
            except (ChannelError, ChannelConfigError, NotificationError,
                    PaymentChannelError) as exception:
                logger.warning("query of %s failed: %s", order.out_trade_no,
                    exception)
                continue
            answered.append(order)
            if notice is not None:
                cls.settle_notice(order, notice, now)
        return answered

    @classmethod
    def cron_query_pending(cls):
        "Ask the channels about pending orders whose notice did not come"
        now = naive(utcnow())
        cls._query(cls.search([
                    ('state', '=', 'pending'),
                    ('create_date', '<', now - QUERY_AFTER),
                    ('expires_at', '>', now),
                    ]))

    @classmethod
    def cron_expire(cls):
        """Expire the orders not paid in time, once their channel says so
        (a channel that cannot be reached is asked again later)"""
        now = naive(utcnow())
        orders = cls.search([
                ('state', '=', 'pending'),
                ('expires_at', '<', now - EXPIRY_GRACE),
                ])
        answered = cls._query(orders)
        cls.expire([o for o in cls.browse(answered) if o.state == 'pending'])
