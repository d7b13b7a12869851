# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The receipt PDF (收据): counted on every print, marked 补打 from the
second print on and 作废 when void (DOMAIN_RULES 11)"""
import datetime as dt
from decimal import Decimal

from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.aishang_billing.sqltools import invalidate
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool, PoolMeta
from trytond.report import Report
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .amount_words import amount_in_words
from .print_layout import Data, LayoutReportMixin, PrintError, safe

ZERO = Decimal(0)


class Receipt(metaclass=PoolMeta):
    __name__ = 'property.receipt'
    print_count = fields.Integer(
        "Print Count", readonly=True,
        help="How many times the receipt was printed; every print after "
        "the first is marked as a reprint (补打).")

    @classmethod
    def default_print_count(cls):
        return 0

    @classmethod
    def copy(cls, receipts, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('print_count', 0)
        return super().copy(receipts, default=default)

    @classmethod
    def count_prints(cls, receipts):
        """Add one to the print count of receipts.

        In SQL: two prints at once both count, and printing does not
        change the receipt's last modification."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub in grouped_slice([r.id for r in receipts], in_max()):
            cursor.execute(*table.update(
                    [table.print_count],
                    [Coalesce(table.print_count, 0) + 1],
                    where=table.id.in_(list(sub))))
        invalidate(receipts)


class ReceiptReport(LayoutReportMixin, Report):
    __name__ = 'property.receipt'
    _document = 'receipt'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # printing writes the print count
        cls.__rpc__['execute'] = RPC(readonly=False)

    @classmethod
    def header_key(cls, record, data):
        # each project prints with its own layout
        return (('project', record.project.id),)

    @classmethod
    def _execute(cls, records, header, data, action):
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Layout = pool.get('property.print_layout')
        receipts = Receipt.browse([r.id for r in records])
        # counted once the access to the report and receipts is checked
        for receipt in receipts:
            if receipt.state == 'draft':
                raise PrintError(gettext(
                        'aishang_cashier.msg_receipt_print_draft',
                        receipt=receipt.rec_name))
        Receipt.count_prints(receipts)
        receipts = Receipt.browse([r.id for r in receipts])
        first = receipts[0]
        layout = Layout.get_layout(
            cls._document, first.company, first.project)
        return cls.render_layout(
            action, layout, cls.layout_context(receipts))

    @classmethod
    def layout_context(cls, receipts):
        "The variables of a receipt layout"
        values = [cls.receipt_values(r) for r in receipts]
        return {
            'receipts': values,
            'receipt': values[0] if values else None,
            'printed_at': dt.datetime.now().replace(microsecond=0),
            }

    @classmethod
    def receipt_values(cls, receipt):
        lines = [Data(
                kind=l.kind,
                kind_string=l.kind_string,
                fee_item=(l.fee_item.name if l.fee_item
                    else l.owner_account.fee_item.name
                    if l.owner_account else ''),
                description=l.description or '',
                bill=l.bill.number if l.bill else '',
                resource=l.resource.code if l.resource else '',
                period_start=l.period_start,
                period_end=l.period_end,
                due=l.due if l.due is not None else l.amount,
                discount=l.discount or ZERO,
                late_fee=l.late_fee or ZERO,
                principal=l.principal if l.principal is not None
                else l.amount,
                amount=l.amount,
                refunded=l.refunded or ZERO)
            for l in receipt.lines]
        payments = [Data(
                method=p.method.name,
                kind=p.method.kind,
                amount=p.amount,
                reference=p.reference or '')
            for p in receipt.payments]
        total = receipt.total if receipt.total is not None else (
            receipt.amount)
        print_count = receipt.print_count or 0
        return Data(
            number=receipt.number or '',
            date=receipt.date,
            company=receipt.company.rec_name,
            project=receipt.project.name,
            project_address=receipt.project.address or '',
            project_phone=receipt.project.phone or '',
            resource=receipt.resource.code if receipt.resource else '',
            payer=receipt.party.rec_name,
            cashier=receipt.printed_cashier(),
            state=receipt.state,
            state_string=receipt.state_string,
            void=receipt.state == 'void',
            void_date=receipt.void_date,
            void_reason=receipt.void_reason or '',
            print_count=print_count,
            reprint=print_count > 1,
            lines=lines,
            payments=payments,
            total=total,
            total_words=amount_in_words(total),
            discount=sum((l.discount for l in lines), ZERO),
            late_fee=sum((l.late_fee for l in lines), ZERO),
            note=receipt.note or '',
            record=safe(receipt))
