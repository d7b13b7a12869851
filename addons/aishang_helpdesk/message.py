# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"The thread of a ticket between owner, customer service and technician (T3)"
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import TicketMessageError

AUTHOR_KINDS = [
    ('owner', "Owner"),
    ('service', "Customer Service"),
    ('technician', "Technician"),
    ]


def author_kind(ticket, user=None):
    """The kind of author user is on ticket: its technician or customer
    service"""
    pool = Pool()
    User = pool.get('res.user')
    if user is None:
        user = User(Transaction().user)
    if ticket.technician and ticket.technician in (user.employees or []):
        return 'technician'
    return 'service'


class TicketMessage(ModelSQL, ModelView):
    """A message on a ticket; photos go as attachments of the message.

    Messages are never changed or deleted once posted.
    """
    __name__ = 'helpdesk.ticket.message'
    __string__ = "Ticket Message"
    ticket = fields.Many2One(
        'helpdesk.ticket', "Ticket", required=True, ondelete='CASCADE',
        states={'readonly': Eval('id', -1) >= 0})
    author_kind = fields.Selection(
        AUTHOR_KINDS, "Author Kind", sort=False,
        states={'readonly': Eval('id', -1) >= 0},
        help="Left empty, the technician of the ticket when he writes, "
        "else customer service.")
    author_kind_string = author_kind.translated('author_kind')
    user = fields.Many2One('res.user', "User", readonly=True)
    party = fields.Many2One(
        'party.party', "Owner", context={'company': Eval('company', -1)},
        depends={'company'}, states={
            'readonly': Eval('id', -1) >= 0,
            'invisible': Eval('author_kind') != 'owner',
            },
        help="The owner who wrote, for messages from the owner app.")
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    author = fields.Function(fields.Char("Author"), 'get_author')
    body = fields.Text(
        "Message", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    date = fields.DateTime("Date", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.ticket, Index.Equality())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_user():
        return Transaction().user

    @classmethod
    def default_date(cls):
        return Pool().get('helpdesk.ticket').now()

    @fields.depends('ticket', '_parent_ticket.company')
    def on_change_with_company(self, name=None):
        if self.ticket:
            return self.ticket.company

    def get_author(self, name):
        if self.author_kind == 'owner' and self.party:
            return self.party.rec_name
        if self.user:
            return self.user.rec_name

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values.setdefault('date', Ticket.now())
            values.setdefault('user', Transaction().user)
            if not values.get('author_kind') and values.get('ticket'):
                values['author_kind'] = author_kind(Ticket(values['ticket']))
        return values

    @classmethod
    def check_modification(cls, mode, messages, values=None, external=False):
        super().check_modification(
            mode, messages, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            raise TicketMessageError(gettext(
                    'aishang_helpdesk.msg_ticket_message_modify'))
