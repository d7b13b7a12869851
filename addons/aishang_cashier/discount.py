# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from . import settle
from .exceptions import ReceiptError

ZERO = Decimal(0)
KINDS = [
    ('percentage', "Percentage"),
    ('fixed', "Fixed Amount"),
    ('free_months', "Free Months"),
    ('vacancy', "Vacancy"),
    ('round_off', "Round-off"),
    ]


class DiscountScheme(DeactivableMixin, ModelSQL, ModelView):
    """A discount or waiver scheme (减免方案): a percentage, a fixed amount,
    free months (pay 12 get 1), a vacancy discount or the round-off"""
    __name__ = 'property.discount'
    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    rate = fields.Numeric(
        "Rate (%)", digits=(5, 2),
        domain=[('rate', '>', 0), ('rate', '<=', 100)],
        states={
            'invisible': ~Eval('kind').in_(['percentage', 'vacancy']),
            'required': Eval('kind').in_(['percentage', 'vacancy']),
            },
        help="Taken off the principal of each bill.")
    amount = fields.Numeric(
        "Amount", digits=(16, 2), domain=[('amount', '>', 0)],
        states={
            'invisible': Eval('kind') != 'fixed',
            'required': Eval('kind') == 'fixed',
            },
        help="Taken off the bills paid together, spread by their amounts.")
    pay_months = fields.Integer(
        "Months Paid", domain=[('pay_months', '>', 0)],
        states={
            'invisible': Eval('kind') != 'free_months',
            'required': Eval('kind') == 'free_months',
            })
    free_months = fields.Integer(
        "Months Free", domain=[('free_months', '>', 0)],
        states={
            'invisible': Eval('kind') != 'free_months',
            'required': Eval('kind') == 'free_months',
            },
        help="Paying for the months paid at once makes the next ones free.")
    round_unit = fields.Selection([
            ('1', "Yuan"),
            ('0.1', "Jiao"),
            ], "Round Off Below",
        states={
            'invisible': Eval('kind') != 'round_off',
            'required': Eval('kind') == 'round_off',
            })
    fee_items = fields.Many2Many(
        'property.discount-property.fee_item', 'discount', 'fee_item',
        "Fee Items", domain=[('company', '=', Eval('company', -1))],
        help="The fee items discounted; all when empty.")
    projects = fields.Many2Many(
        'property.discount-property.project', 'discount', 'project',
        "Projects", domain=[('company', '=', Eval('company', -1))],
        help="The projects offering the scheme; all when empty.")
    review_above = fields.Numeric(
        "Review Above", digits=(16, 2),
        help="A discount above this amount is applied only once a review "
        "approves it; empty for never.")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'percentage'

    @staticmethod
    def default_review_above():
        return ZERO

    @staticmethod
    def default_round_unit():
        return '1'

    def applies_to(self, fee_item, project):
        return ((not self.fee_items or fee_item in self.fee_items)
            and (not self.projects or project in self.projects))

    def discounts(self, dues, vacant=()):
        """Discount of each due; vacant holds the keys of the dues of
        vacant resources."""
        if self.kind == 'percentage':
            return settle.percentage_discounts(dues, self.rate)
        elif self.kind == 'vacancy':
            rates = settle.percentage_discounts(dues, self.rate)
            return [r if d.key in vacant else ZERO
                for d, r in zip(dues, rates)]
        elif self.kind == 'fixed':
            return settle.fixed_discounts(dues, self.amount)
        elif self.kind == 'free_months':
            return settle.free_month_discounts(
                dues, self.pay_months, self.free_months)
        elif self.kind == 'round_off':
            total = sum((d.principal + d.late_fee for d in dues), ZERO)
            return settle.spread_discount(
                dues, settle.round_off(total, Decimal(self.round_unit)))
        return [ZERO for _ in dues]


class DiscountFeeItem(ModelSQL):
    "Discount Scheme - Fee Item"
    __name__ = 'property.discount-property.fee_item'
    discount = fields.Many2One(
        'property.discount', "Discount", required=True, ondelete='CASCADE')
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", required=True, ondelete='CASCADE')


class DiscountProject(ModelSQL):
    "Discount Scheme - Project"
    __name__ = 'property.discount-property.project'
    discount = fields.Many2One(
        'property.discount', "Discount", required=True, ondelete='CASCADE')
    project = fields.Many2One(
        'property.project', "Project", required=True, ondelete='CASCADE')


class Waiver(Workflow, ModelSQL, ModelView):
    """A standing waiver (减免): a scheme granted to a group of resources
    over a period, applied at the cashier once reviewed"""
    __name__ = 'property.waiver'
    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    project = fields.Many2One(
        'property.project', "Project", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    scheme = fields.Many2One(
        'property.discount', "Scheme", required=True, states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('kind', 'in', ['percentage', 'vacancy']),
            ])
    waived_resources = fields.Many2Many(
        'property.waiver-property.resource', 'waiver', 'resource',
        "Resources", states=_states,
        domain=[('project', '=', Eval('project', -1))])
    start_date = fields.Date("From", required=True, states=_states,
        help="Bills of periods starting from this day are discounted.")
    end_date = fields.Date("To", required=True, states=_states,
        domain=[('end_date', '>=', Eval('start_date', None))])
    reason = fields.Text("Reason", required=True, states=_states)
    estimate = fields.Numeric("Estimate", digits=(16, 2), readonly=True,
        help="The discount on the bills open when the review was asked.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Under Review"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'approved'),
            ('requested', 'rejected'),
            ('rejected', 'draft'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'rejected',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    def get_rec_name(self, name):
        return f'{self.scheme.rec_name} {self.start_date}~{self.end_date}'

    @classmethod
    @ModelView.button
    def request(cls, waivers):
        "Ask for the review of waivers, with the discount they would give now"
        pool = Pool()
        Request = pool.get('review.request')
        Bill = pool.get('property.bill')
        Line = pool.get('property.receipt.line')
        waivers = [w for w in waivers if w.state == 'draft']
        for waiver in waivers:
            bills = []
            for sub in grouped_slice(
                    [r.id for r in waiver.waived_resources], in_max()):
                bills += Bill.search([
                        ('resource', 'in', list(sub)),
                        ('state', 'in', ['open', 'partial']),
                        ('period_start', '>=', waiver.start_date),
                        ('period_start', '<=', waiver.end_date),
                        ])
            bills = [b for b in bills
                if waiver.scheme.applies_to(b.fee_item, b.project)]
            dues = [Line.due_of(b) for b in bills]
            vacant = {b.id for b in bills
                if b.resource.occupancy == 'vacant'}
            waiver.estimate = sum(
                waiver.scheme.discounts(dues, vacant), ZERO)
        cls.save(waivers)
        cls.wait_review(waivers)
        for waiver in cls.browse(waivers):
            Request.submit('bill_waiver', waiver, waiver.estimate,
                waiver.reason,
                changes=[(waiver.scheme.rec_name, '',
                        f'{len(waiver.waived_resources)} × '
                        f'{waiver.start_date}~{waiver.end_date}')],
                company=waiver.company, description=waiver.rec_name)

    @classmethod
    @Workflow.transition('requested')
    def wait_review(cls, waivers):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, waivers):
        pass

    @classmethod
    @Workflow.transition('approved')
    def approve(cls, waivers):
        pass

    @classmethod
    @Workflow.transition('rejected')
    def reject(cls, waivers):
        pass

    @classmethod
    def review_apply(cls, request):
        cls.approve([cls(request.target.id)])

    @classmethod
    def review_rejected(cls, request):
        cls.reject([cls(request.target.id)])

    review_cancelled = review_rejected

    @classmethod
    def for_bills(cls, bills):
        "Map each bill to the approved waiver that covers it, if any"
        if not bills:
            return {}
        projects = list({b.project.id for b in bills})
        waivers = cls.search([
                ('state', '=', 'approved'),
                ('project', 'in', projects),
                ])
        result = {}
        for bill in bills:
            for waiver in waivers:
                if (bill.resource in waiver.waived_resources
                        and bill.period_start
                        and waiver.start_date <= bill.period_start
                        <= waiver.end_date
                        and waiver.scheme.applies_to(
                            bill.fee_item, bill.project)):
                    result[bill] = waiver
                    break
        return result


class WaiverResource(ModelSQL):
    "Waiver - Resource"
    __name__ = 'property.waiver-property.resource'
    waiver = fields.Many2One(
        'property.waiver', "Waiver", required=True, ondelete='CASCADE')
    resource = fields.Many2One(
        'property.resource', "Resource", required=True, ondelete='CASCADE')


class Receipt(metaclass=PoolMeta):
    __name__ = 'property.receipt'
    discount_scheme = fields.Many2One(
        'property.discount', "Discount Scheme",
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': Eval('state') != 'draft'},
        help="Applied to the bills of the receipt with the button.")
    waiver_request = fields.Many2One(
        'review.request', "Waiver Review", readonly=True)
    waiver_approved = fields.Numeric(
        "Waiver Approved", digits=(16, 2), readonly=True,
        help="The scheme discount a review approved for this receipt.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'apply_discount': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'request_waiver': {
                    'invisible': ((Eval('state') != 'draft')
                        | ~Eval('discount_scheme')),
                    'depends': ['state', 'discount_scheme'],
                    },
                })

    @classmethod
    def copy(cls, receipts, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('waiver_request', None)
        default.setdefault('waiver_approved', None)
        return super().copy(receipts, default=default)

    @classmethod
    def add_open_bills(cls, receipts):
        super().add_open_bills(receipts)
        cls.apply_discount(cls.browse(receipts))

    @classmethod
    @ModelView.button
    def apply_discount(cls, receipts):
        """Set the discount of each bill line: a standing waiver covering
        the bill, else the receipt's scheme; the line then asks for the
        rest of the bill."""
        pool = Pool()
        Line = pool.get('property.receipt.line')
        Waiver = pool.get('property.waiver')
        to_write = []
        for receipt in receipts:
            lines = [l for l in receipt.lines if l.bill]
            waivers = Waiver.for_bills([l.bill for l in lines])
            discounts = {}
            for line in lines:
                waiver = waivers.get(line.bill)
                if waiver:
                    due = Line.due_of(line.bill)
                    vacant = ({due.key}
                        if line.bill.resource.occupancy == 'vacant' else ())
                    discounts[line] = (
                        waiver.scheme.discounts([due], vacant)[0], 'waiver')
            scheme = receipt.discount_scheme
            if scheme:
                todo = [l for l in lines if l not in discounts
                    and scheme.applies_to(l.bill.fee_item, receipt.project)]
                dues = [Line.due_of(l.bill) for l in todo]
                vacant = {l.bill.id for l in todo
                    if l.bill.resource.occupancy == 'vacant'}
                for line, discount in zip(
                        todo, scheme.discounts(dues, vacant)):
                    discounts[line] = (discount, 'scheme')
            for line in lines:
                discount, source = discounts.get(line, (ZERO, None))
                due = Line.due_of(line.bill)
                to_write.extend(([line], {
                            'discount': discount,
                            'discount_source': source if discount else None,
                            'amount': due.principal + due.late_fee
                            - discount,
                            }))
        if to_write:
            Line.write(*to_write)

    def scheme_discount(self):
        return sum((l.discount or ZERO for l in self.lines
                if l.discount_source == 'scheme'), ZERO)

    def needs_waiver_review(self):
        scheme = self.discount_scheme
        discount = self.scheme_discount()
        return bool(discount and scheme and scheme.review_above is not None
            and discount > scheme.review_above
            and discount != self.waiver_approved)

    @classmethod
    @ModelView.button
    def request_waiver(cls, receipts):
        Request = Pool().get('review.request')
        for receipt in receipts:
            if not receipt.needs_waiver_review():
                continue
            request = Request.submit('bill_waiver', receipt,
                receipt.scheme_discount(),
                receipt.discount_scheme.rec_name,
                changes=[(l.bill.rec_name, str(l.due), str(l.amount))
                    for l in receipt.lines if l.discount],
                company=receipt.company,
                description=f'{receipt.party.rec_name} '
                f'{receipt.discount_scheme.rec_name}')
            cls.write([receipt], {'waiver_request': request.id})

    @classmethod
    def review_apply(cls, request):
        if request.operation == 'bill_waiver':
            cls.write([cls(request.target.id)],
                {'waiver_approved': request.amount})
        else:
            super().review_apply(request)

    @classmethod
    def collect(cls, receipts):
        for receipt in receipts:
            if receipt.needs_waiver_review():
                raise ReceiptError(gettext(
                        'aishang_cashier.msg_receipt_waiver_review',
                        receipt=receipt.rec_name,
                        discount=receipt.scheme_discount(),
                        limit=receipt.discount_scheme.review_above))
        super().collect(receipts)


class ReceiptLine(metaclass=PoolMeta):
    __name__ = 'property.receipt.line'
    discount_source = fields.Selection([
            (None, ""),
            ('scheme', "Scheme"),
            ('waiver', "Standing Waiver"),
            ], "Discount From", readonly=True)
