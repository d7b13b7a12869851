# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt

from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool

from .money import period_containing
from .scope import ScopeMixin

CYCLES = [
    ('monthly', "Monthly"),
    ('bimonthly', "Every Two Months"),
    ('quarterly', "Quarterly"),
    ('half_yearly', "Half-yearly"),
    ('yearly', "Yearly"),
    ]


class BillRule(ScopeMixin, DeactivableMixin, ModelSQL, ModelView):
    "When and how often a fee item is billed (账单生成规则)"
    __name__ = 'property.bill_rule'
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", required=True, ondelete='CASCADE',
        domain=[('category', 'in', ['periodic', 'metered'])])
    cycle = fields.Selection(CYCLES, "Cycle", required=True, sort=False)
    cycle_string = cycle.translated('cycle')
    generate_offset = fields.Integer(
        "Generate Offset (days)", required=True,
        help="Days from the start of the period to the day its bills are "
        "generated: negative to bill ahead (提前), positive to bill later "
        "(延迟).")
    due_offset = fields.Integer(
        "Due Offset (days)", required=True,
        help="Days from the start of the period to the due date.")
    notify_offset = fields.Integer(
        "Notify Offset (days)", required=True,
        help="Days from generation to the notice sent to owners.")
    lease_bound = fields.Boolean(
        "Only During Lease",
        help="Bill only the days inside the lease dates of the resource, "
        "as for rent.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('project', 'ASC'), ('fee_item', 'ASC'),
            ('id', 'ASC')]

    @staticmethod
    def default_cycle():
        return 'monthly'

    @staticmethod
    def default_generate_offset():
        return 0

    @staticmethod
    def default_due_offset():
        return 30

    @staticmethod
    def default_notify_offset():
        return 0

    @staticmethod
    def default_lease_bound():
        return False

    def get_rec_name(self, name):
        return f'{self.fee_item.rec_name} {self.cycle_string} - {self.scope}'

    @classmethod
    def validate(cls, rules):
        super().validate(rules)
        cls.check_scope(rules)

    def due_period(self, today):
        """The period whose bills are due to be generated on today.

        That is the latest period whose generation day has come.
        """
        probe = today - dt.timedelta(days=self.generate_offset)
        return period_containing(probe, self.cycle)

    @classmethod
    def cron_generate(cls):
        "Run the bills of every active rule whose generation day has come"
        pool = Pool()
        Run = pool.get('property.bill.run')
        Date = pool.get('ir.date')
        today = Date.today()
        runs = {}
        for rule in cls.search([]):
            start, end = rule.due_period(today)
            if rule.start_date and end < rule.start_date:
                continue
            if rule.end_date and start > rule.end_date:
                continue
            key = (rule.project, start)
            runs.setdefault(key, []).append(rule)
        to_run = Run.create([{
                    'project': project.id,
                    'date': start,
                    'bill_rules': [('add', [r.id for r in rules])],
                    'origin_cron': True,
                    } for (project, start), rules in runs.items()])
        Run.start(to_run)
