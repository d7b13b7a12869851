# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Bills of future periods paid in advance (预缴) at the cashier (C6).

The bills are planned exactly as a bill run plans them: the run's own
loaders read the resource, its owners, occupants and the price rules, and
aishang_billing's plan_bills resolves the rule and the price, pro-rates and
rounds. They carry the usual period key, so the later runs skip them.
"""
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.aishang_billing.generation import plan_bills
from trytond.modules.aishang_billing.money import (
    CYCLE_MONTHS, RuleIndex, add_months, period_containing, ranges_overlap)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .temporary import ReceiptWizardMixin

ONE_DAY = dt.timedelta(days=1)
# A typing slip must not bill years ahead: 5 years of monthly bills at most
MAX_PERIODS = 60


class AdvanceError(UserError):
    pass


def rule_for(date, resource, bill_rules):
    """The bill rule plan_bills applies to resource for the period holding
    date, or None: the most specific rule whose dates overlap the period of
    its own cycle."""
    return RuleIndex([r for r in bill_rules if ranges_overlap(
                r.get('start'), r.get('end'),
                *period_containing(date, r['cycle']))]).resolve(
        resource, None)


class Bill(metaclass=PoolMeta):
    __name__ = 'property.bill'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.origin.selection.append(('advance', "Paid in Advance"))


class Receipt(metaclass=PoolMeta):
    __name__ = 'property.receipt'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'add_advance_bills': {
                    'invisible': Eval('state') != 'draft',
                    'readonly': ~Eval('resource'),
                    'depends': ['state', 'resource'],
                    },
                })

    @classmethod
    @ModelView.button_action('aishang_cashier.wizard_receipt_advance')
    def add_advance_bills(cls, receipts):
        pass

    def plan_advance(self, resource, fee_item, periods):
        """Plan the bills of resource for fee_item over the periods that
        follow its last billed one (from today's when none was billed).

        Return the rows of aishang_billing's plan_bills, one per period (or
        per owner when the owner changes inside a period).
        """
        pool = Pool()
        Run = pool.get('property.bill.run')
        BillRule = pool.get('property.bill_rule')
        Bill = pool.get('property.bill')
        Date = pool.get('ir.date')
        if self.state != 'draft':
            raise AdvanceError(gettext(
                    'aishang_cashier.msg_advance_receipt_draft',
                    receipt=self.rec_name))
        if resource.project != self.project:
            raise AdvanceError(gettext(
                    'aishang_cashier.msg_advance_project',
                    resource=resource.rec_name,
                    project=self.project.rec_name))
        if fee_item.category != 'periodic':
            raise AdvanceError(gettext(
                    'aishang_cashier.msg_advance_fee_item',
                    fee_item=fee_item.rec_name))
        if not periods or not (0 < periods <= MAX_PERIODS):
            raise AdvanceError(gettext(
                    'aishang_cashier.msg_advance_periods',
                    maximum=MAX_PERIODS))
        rules = BillRule.search([
                ('project', '=', resource.project.id),
                ('fee_item', '=', fee_item.id),
                ])
        last = Bill.search([
                ('resource', '=', resource.id),
                ('fee_item', '=', fee_item.id),
                ('period_key', '!=', None),
                ], order=[('period_key', 'DESC')], limit=1)
        if last:
            last_key = last[0].period_key
            date = max(last[0].period_end or last_key, last_key) + ONE_DAY
        else:
            last_key = None
            date = Date.today()
        if not rules:
            raise AdvanceError(gettext(
                    'aishang_cashier.msg_advance_no_rule',
                    resource=resource.rec_name,
                    fee_item=fee_item.rec_name, date=date))

        # The run's own loaders, reaching as far as the periods could go
        run = Run(company=resource.project.company, project=resource.project,
            date=add_months(date, periods * max(CYCLE_MONTHS.values())))
        resources = [r for r in run._load_resources(rules)
            if r['id'] == resource.id]
        if not resources:
            raise AdvanceError(gettext(
                    'aishang_cashier.msg_advance_not_billable',
                    resource=resource.rec_name))
        rule_values = [dict(r.scope_values(), fee_item=fee_item.id,
                cycle=r.cycle, due_offset=r.due_offset,
                lease_bound=r.lease_bound) for r in rules]
        prices = run._load_price_rules(rules)
        ownerships = run._load_ownerships([resource.id])
        items = {fee_item.id: {
                'digits': fee_item.digits,
                'rounding': fee_item.rounding_mode,
                }}

        rows, planned = [], 0
        while planned < periods:
            rule = rule_for(date, resources[0], rule_values)
            if rule is None:
                raise AdvanceError(gettext(
                        'aishang_cashier.msg_advance_no_rule',
                        resource=resource.rec_name,
                        fee_item=fee_item.rec_name, date=date))
            start, end = period_containing(date, rule['cycle'])
            # a period billed already, in part at least, is skipped
            if not last_key or start > last_key:
                run._add_occupants(resources, start)
                period_rows, skipped = plan_bills(date, resources,
                    rule_values, prices, ownerships, items)
                if skipped:
                    raise AdvanceError(gettext(
                            'aishang_cashier.msg_advance_skipped',
                            resource=resource.rec_name, date=start,
                            reason=Run._skipped_text(skipped)))
                if not period_rows:
                    raise AdvanceError(gettext(
                            'aishang_cashier.msg_advance_nothing',
                            resource=resource.rec_name,
                            fee_item=fee_item.rec_name, start=start,
                            end=end))
                rows.extend(period_rows)
                planned += 1
            date = end + ONE_DAY
        return rows

    def add_advance(self, resource, fee_item, periods):
        """Bill resource in advance for periods of fee_item, issue the bills
        and add them to the draft receipt; return the bills."""
        pool = Pool()
        Bill = pool.get('property.bill')
        Line = pool.get('property.receipt.line')
        Project = pool.get('property.project')
        # As a bill run does: one at a time per project, so that the run
        # and the cashier do not bill the same period together.
        Project.lock([resource.project])
        rows = self.plan_advance(resource, fee_item, periods)
        bills = Bill.create([{
                    'company': self.company.id,
                    'project': row['project'],
                    'resource': row['resource'],
                    'building': row['building'],
                    'party': row['party'] or self.party.id,
                    'fee_item': row['fee_item'],
                    'period_start': row['period_start'],
                    'period_end': row['period_end'],
                    'quantity': row['quantity'],
                    'unit_price': row['unit_price'],
                    'months': row['months'],
                    'days': row['days'],
                    'period_days': row['period_days'],
                    'amount': row['amount'],
                    'due_date': row['due_date'],
                    'origin': 'advance',
                    } for row in rows])
        Bill.issue(bills)
        bills = Bill.browse(bills)
        Line.create([Line.values_for_bill(self, b) for b in bills])
        return bills


class AdvanceStart(ModelView):
    "Pay in Advance"
    __name__ = 'property.receipt.advance.start'
    __string__ = "Pay in Advance"
    company = fields.Many2One('company.company', "Company", readonly=True)
    project = fields.Many2One('property.project', "Project", readonly=True)
    resource = fields.Many2One(
        'property.resource', "Resource", required=True,
        domain=[('project', '=', Eval('project', -1))])
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('category', '=', 'periodic'),
            ])
    periods = fields.Integer(
        "Periods", required=True,
        domain=[('periods', '>', 0), ('periods', '<=', MAX_PERIODS)],
        help="How many billing periods to pay, from the first one not "
        "billed yet: 12 monthly periods are a year.")

    @staticmethod
    def default_periods():
        return 12


class AdvancePreview(ModelView):
    "Pay in Advance"
    __name__ = 'property.receipt.advance.preview'
    __string__ = "Pay in Advance Preview"
    bills = fields.Text("Bills", readonly=True)
    count = fields.Integer("Count", readonly=True)
    total = fields.Numeric("Total", digits=(16, 2), readonly=True)


class Advance(ReceiptWizardMixin, Wizard):
    "Pay in Advance"
    __name__ = 'property.receipt.advance'
    start = StateView('property.receipt.advance.start',
        'aishang_cashier.advance_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Preview", 'preview', 'tryton-forward', default=True),
            ])
    preview = StateView('property.receipt.advance.preview',
        'aishang_cashier.advance_preview_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Add to Receipt", 'add', 'tryton-ok', default=True),
            ])
    add = StateTransition()

    def default_preview(self, fields):
        rows = self.record.plan_advance(
            self.start.resource, self.start.fee_item, self.start.periods)
        return {
            'bills': '\n'.join(gettext(
                        'aishang_cashier.msg_advance_preview_line',
                        start=r['period_start'], end=r['period_end'],
                        amount=r['amount'])
                for r in rows),
            'count': len(rows),
            'total': sum((r['amount'] for r in rows), Decimal(0)),
            }

    def transition_add(self):
        self.record.add_advance(
            self.start.resource, self.start.fee_item, self.start.periods)
        return 'end'

    def end(self):
        return 'reload'
