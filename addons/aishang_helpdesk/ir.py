# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "employees" as list of ids of the current user\'s employees')

    @classmethod
    def _get_cache_key(cls, model_names):
        User = Pool().get('res.user')
        key = super()._get_cache_key(model_names)
        return (*key, User.get_employees())

    @classmethod
    def _get_context(cls, model_name):
        User = Pool().get('res.user')
        context = super()._get_context(model_name)
        context['employees'] = User.get_employees()
        return context


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('helpdesk.ticket|cron_overdue', "Notify Overdue Tickets"))


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'
    helpdesk_stage = fields.Selection([
            (None, ""),
            ('report', "At Report"),
            ('completion', "At Completion"),
            ], "Ticket Stage",
        help="When the photo of a service ticket was taken.")
