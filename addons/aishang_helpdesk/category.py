# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import TicketValidationError

KINDS = [
    ('repair', "Repair / Hazard Report"),
    ('complaint', "Complaint"),
    ('suggestion', "Suggestion"),
    ('inquiry', "Inquiry"),
    ]
URGENCIES = [
    ('low', "Low"),
    ('normal', "Normal"),
    ('high', "Urgent"),
    ('critical', "Critical"),
    ]


class Category(sequence_ordered(), DeactivableMixin, ModelSQL, ModelView):
    "A category of tickets (plumbing, elevator, attitude…) with its SLA"
    __name__ = 'helpdesk.category'
    __string__ = "Ticket Category"
    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", strip=True)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False,
        help="The kind of tickets the category classifies.")
    kind_string = kind.translated('kind')
    urgency = fields.Selection(URGENCIES, "Default Urgency", required=True,
        sort=False, help="The urgency new tickets of the category get.")
    response_time = fields.TimeDelta(
        "Response Time",
        help="How soon after the report somebody must act on the ticket; "
        "empty for no target.")
    resolution_time = fields.TimeDelta(
        "Resolution Time",
        help="How soon after the report the work must be completed; "
        "empty for no target.")
    team = fields.Many2One(
        'helpdesk.team', "Team", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        help="The team that handles the tickets of the category.")
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('company_code_uniq', Unique(t, t.company, t.code),
                'aishang_helpdesk.msg_category_code_unique'),
            ]
        cls._order.extend([('kind', 'ASC'), ('name', 'ASC'), ('id', 'ASC')])

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'repair'

    @staticmethod
    def default_urgency():
        return 'normal'

    def get_rec_name(self, name):
        return f'{self.kind_string}/{self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, categories, field_names):
        super().validate_fields(categories, field_names)
        if field_names and not (
                field_names & {'response_time', 'resolution_time'}):
            return
        for category in categories:
            for value in [category.response_time, category.resolution_time]:
                if value is not None and value <= dt.timedelta(0):
                    raise TicketValidationError(gettext(
                            'aishang_helpdesk.msg_category_sla_positive',
                            category=category.rec_name))
            if (category.response_time and category.resolution_time
                    and category.response_time > category.resolution_time):
                raise TicketValidationError(gettext(
                        'aishang_helpdesk.msg_category_sla',
                        category=category.rec_name))
