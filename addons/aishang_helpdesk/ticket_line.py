# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Labour, materials and tools of a ticket (T6, T7).

A line is priced on the ticket and, when chargeable, billed to the owner
once the repair is completed (billing.py). The warehouse addon will add a
product, its unit of measure and the stock move that issues it; until then
a material is described by text, quantity and unit.
"""
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sql import Literal
from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields, sequence_ordered
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import TicketValidationError
from .workflow import OPEN_STATES, STATES

CENT = Decimal('0.01')
ZERO = Decimal(0)
LINE_KINDS = [
    ('labour', "Labour"),
    ('material', "Material"),
    ('tool', "Tool"),
    ]


def line_amount(quantity, unit_price):
    "quantity × unit price rounded to the fen, half up (DOMAIN_RULES 6)"
    if quantity is None or unit_price is None:
        return ZERO
    return (Decimal(quantity) * Decimal(unit_price)).quantize(
        CENT, rounding=ROUND_HALF_UP)


class TicketLine(sequence_ordered(), ModelSQL, ModelView):
    "A labour, material or tool line of a ticket"
    __name__ = 'helpdesk.ticket.line'
    __string__ = "Ticket Line"
    _states = {'readonly': ~Eval('ticket_state').in_(OPEN_STATES)}

    ticket = fields.Many2One(
        'helpdesk.ticket', "Ticket", required=True, ondelete='CASCADE',
        states=_states)
    ticket_state = fields.Function(fields.Selection(
            STATES, "Ticket State"), 'on_change_with_ticket_state')
    kind = fields.Selection(
        LINE_KINDS, "Kind", required=True, sort=False, states=_states)
    kind_string = kind.translated('kind')
    description = fields.Char(
        "Description", required=True, states=_states,
        help="The work done or the material or tool used, with its "
        "specification.")
    quantity = fields.Numeric(
        "Quantity", digits=(16, 2), required=True, states=_states,
        domain=[('quantity', '>=', 0)])
    unit = fields.Char(
        "Unit", states=_states, help="Such as 个, 米, 小时.")
    unit_price = fields.Numeric(
        "Unit Price", digits=(16, 2), required=True, states=_states,
        domain=[('unit_price', '>=', 0)])
    amount = fields.Numeric(
        "Amount", digits=(16, 2), readonly=True,
        help="Quantity × unit price, rounded to the fen.")
    chargeable = fields.Boolean(
        "Charged to Owner", states=_states,
        help="Billed to the owner when the repair of a private area is "
        "completed.")
    note = fields.Char("Note", states=_states)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.ticket, Index.Equality())))

    @staticmethod
    def default_kind():
        return 'labour'

    @staticmethod
    def default_quantity():
        return Decimal(1)

    @staticmethod
    def default_unit_price():
        return ZERO

    @staticmethod
    def default_amount():
        return ZERO

    @staticmethod
    def default_chargeable():
        return False

    @staticmethod
    def default_ticket_state():
        # A row added in Sao gets no parent value with its defaults: it
        # stays editable; lines of closed tickets are refused on save
        return 'pending'

    @fields.depends('ticket', '_parent_ticket.state')
    def on_change_with_ticket_state(self, name=None):
        if self.ticket:
            return self.ticket.state

    @fields.depends('quantity', 'unit_price')
    def on_change_with_amount(self):
        return line_amount(self.quantity, self.unit_price)

    @fields.depends('kind', 'ticket', '_parent_ticket.area')
    def on_change_kind(self):
        self.chargeable = bool(
            self.kind in {'labour', 'material'}
            and self.ticket and self.ticket.area == 'private')

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['amount'] = line_amount(
                values.get('quantity', cls.default_quantity()),
                values.get('unit_price', cls.default_unit_price()))
        return values

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        super().on_modification(mode, lines, field_names=field_names)
        if mode == 'write' and field_names & {'quantity', 'unit_price'}:
            by_amount = defaultdict(list)
            for line in lines:
                amount = line_amount(line.quantity, line.unit_price)
                if amount != line.amount:
                    by_amount[amount].append(line)
            if by_amount:
                cls.write(*[x for amount, ls in by_amount.items()
                        for x in (ls, {'amount': amount})])

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if values is not None and set(values) <= {'amount'}:
            return
        tickets = {l.ticket for l in lines}
        if mode in {'create', 'write'} and values and values.get('ticket'):
            tickets.add(Pool().get('helpdesk.ticket')(values['ticket']))
        for ticket in tickets:
            if ticket.state not in OPEN_STATES:
                raise TicketValidationError(gettext(
                        'aishang_helpdesk.msg_ticket_line_state',
                        ticket=ticket.rec_name, state=ticket.state_string))

    @classmethod
    def charges(cls, tickets):
        "The sum of the chargeable lines per ticket id, summed in SQL"
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = dict.fromkeys([t.id for t in tickets], ZERO)
        for sub in grouped_slice(list(result), in_max()):
            cursor.execute(*line.select(line.ticket, Sum(line.amount),
                    where=line.ticket.in_(list(sub))
                    & (line.chargeable == Literal(True)),
                    group_by=[line.ticket]))
            for ticket_id, amount in cursor:
                # SQLite sums Numeric columns as floats
                result[ticket_id] = Decimal(str(amount or 0)).quantize(CENT)
        return result
