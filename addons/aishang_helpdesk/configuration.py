# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import (
    ModelSingleton, ModelSQL, ModelView, Unique, fields)
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id
from trytond.transaction import Transaction

from .category import KINDS
from .workflow import OPTIONAL_STEPS, effective_steps

ticket_sequence = fields.Many2One(
    'ir.sequence', "Ticket Sequence", required=True,
    domain=[
        ('company', 'in', [Eval('context', {}).get('company', -1), None]),
        ('sequence_type', '=', Id('aishang_helpdesk', 'sequence_type_ticket')),
        ],
    help="Numbers the tickets of the company, such as GD-000001.")


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    "Helpdesk Configuration"
    __name__ = 'helpdesk.configuration'
    __string__ = "Helpdesk Configuration"
    ticket_sequence = fields.MultiValue(ticket_sequence)

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'ticket_sequence':
            return pool.get('helpdesk.configuration.company')
        return super().multivalue_model(field)

    @classmethod
    def default_ticket_sequence(cls, **pattern):
        return cls.multivalue_model(
            'ticket_sequence').default_ticket_sequence()


class ConfigurationCompany(ModelSQL, CompanyValueMixin):
    "Helpdesk Configuration per Company"
    __name__ = 'helpdesk.configuration.company'
    __string__ = "Helpdesk Configuration per Company"
    ticket_sequence = ticket_sequence

    @classmethod
    def default_ticket_sequence(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('aishang_helpdesk', 'sequence_ticket')
        except KeyError:
            return None


class KindSetting(ModelSQL, ModelView):
    """The steps of the life cycle a company uses for a kind of ticket (T8).

    Without a setting every step is on. A step that is off is passed
    automatically: the ticket moves past the state it would wait in.
    """
    __name__ = 'helpdesk.kind.setting'
    __string__ = "Ticket Steps per Kind"
    company = fields.Many2One('company.company', "Company", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    step_accept = fields.Boolean(
        "Accept", help="Customer service accepts and classifies the ticket.")
    step_dispatch = fields.Boolean(
        "Dispatch",
        help="Customer service dispatches the ticket to a technician; "
        "off also switches off Take.")
    step_take = fields.Boolean(
        "Take", help="The technician accepts the ticket dispatched to him.")
    step_start = fields.Boolean(
        "Start", help="The work is started (on site).")
    step_complete = fields.Boolean(
        "Complete", help="The work is marked completed.")
    step_close = fields.Boolean(
        "Close",
        help="Customer service checks the work and closes the ticket.")
    step_callback = fields.Boolean(
        "Call Back",
        help="Customer service calls the reporter back and records the "
        "rating.")
    reopen_rating = fields.Integer(
        "Reopen at Rating",
        domain=[('reopen_rating', '>=', 0), ('reopen_rating', '<=', 5)],
        help="A call-back rating at or below this value reopens the "
        "ticket; 0 never reopens.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('company_kind_uniq', Unique(t, t.company, t.kind),
                'aishang_helpdesk.msg_kind_setting_unique'),
            ]
        cls._order = [('company', 'ASC'), ('kind', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_step_accept(cls):
        return True

    @classmethod
    def default_step_dispatch(cls):
        return True

    @classmethod
    def default_step_take(cls):
        return True

    @classmethod
    def default_step_start(cls):
        return True

    @classmethod
    def default_step_complete(cls):
        return True

    @classmethod
    def default_step_close(cls):
        return True

    @classmethod
    def default_step_callback(cls):
        return True

    @classmethod
    def default_reopen_rating(cls):
        return 2

    def get_rec_name(self, name):
        return self.kind_string

    @property
    def enabled_steps(self):
        "The optional steps that are on, implied ones removed"
        return effective_steps(
            s for s in OPTIONAL_STEPS if getattr(self, f'step_{s}'))

    @classmethod
    def settings(cls, keys):
        """The enabled steps and reopen rating per (company id, kind) of
        keys, in one query; the defaults for keys without a setting"""
        default = (set(OPTIONAL_STEPS), cls.default_reopen_rating())
        result = dict.fromkeys(keys, default)
        companies = {c for c, _ in keys}
        if companies:
            for setting in cls.search([('company', 'in', list(companies))]):
                key = (setting.company.id, setting.kind)
                if key in result:
                    result[key] = (
                        setting.enabled_steps, setting.reopen_rating or 0)
        return result
