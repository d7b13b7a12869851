# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"The audit trail of a ticket: its transitions and its assignments"
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .workflow import STATES, STEPS

ASSIGNMENT_STATES = [
    ('assigned', "Assigned"),
    ('taken', "Taken"),
    ('declined', "Declined"),
    ('replaced', "Reassigned"),
    ]
# An assignment the technician still holds
CURRENT_ASSIGNMENT = ['assigned', 'taken']


class TransitionLog(ModelSQL, ModelView):
    "A step of a ticket: who, when, from which state to which, why"
    __name__ = 'helpdesk.ticket.log'
    __string__ = "Ticket History"
    ticket = fields.Many2One(
        'helpdesk.ticket', "Ticket", required=True, ondelete='CASCADE',
        readonly=True)
    step = fields.Selection(STEPS, "Step", required=True, readonly=True)
    step_string = step.translated('step')
    from_state = fields.Selection(
        [(None, "")] + STATES, "From", readonly=True)
    from_state_string = from_state.translated('from_state')
    to_state = fields.Selection(STATES, "To", required=True, readonly=True)
    to_state_string = to_state.translated('to_state')
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    employee = fields.Many2One('company.employee', "Employee", readonly=True)
    reason = fields.Text("Reason", readonly=True)
    automatic = fields.Boolean(
        "Automatic", readonly=True,
        help="Taken by the system because the step is switched off "
        "or follows from another one.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.ticket, Index.Equality())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def log(cls, moves, step, date, reason=None, automatic=False):
        "Log step for the (ticket, from state, to state) of moves"
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        employee = user.employee if user.id else None
        return cls.create([{
                    'ticket': ticket.id,
                    'step': step,
                    'from_state': from_state,
                    'to_state': to_state,
                    'date': date,
                    'user': user.id,
                    'employee': employee.id if employee else None,
                    'reason': reason,
                    'automatic': automatic,
                    } for ticket, from_state, to_state in moves])


class Assignment(ModelSQL, ModelView):
    "A dispatch of a ticket to a technician and what became of it"
    __name__ = 'helpdesk.ticket.assignment'
    __string__ = "Ticket Assignment"
    ticket = fields.Many2One(
        'helpdesk.ticket', "Ticket", required=True, ondelete='CASCADE',
        readonly=True)
    technician = fields.Many2One(
        'company.employee', "Technician", required=True, readonly=True,
        ondelete='RESTRICT')
    assigned_by = fields.Many2One('res.user', "Assigned By", readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    state = fields.Selection(
        ASSIGNMENT_STATES, "State", required=True, readonly=True)
    state_string = state.translated('state')
    response_date = fields.DateTime(
        "Response Date", readonly=True,
        help="When the technician took or declined the ticket, or when it "
        "was dispatched to somebody else.")
    reason = fields.Text(
        "Reason", readonly=True, help="Why the technician declined.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.ticket, Index.Equality())),
                Index(t, (t.technician, Index.Equality())),
                })
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def current(cls, tickets):
        "The assignments the technicians still hold on tickets"
        assignments = []
        for sub in grouped_slice([t.id for t in tickets], in_max()):
            assignments.extend(cls.search([
                        ('ticket', 'in', list(sub)),
                        ('state', 'in', CURRENT_ASSIGNMENT),
                        ]))
        return assignments

    @classmethod
    def close(cls, tickets, state, date, reason=None):
        "Set state on the current assignments of tickets"
        assignments = cls.current(tickets)
        if state == 'taken':
            assignments = [a for a in assignments if a.state == 'assigned']
        if assignments:
            cls.write(assignments, {
                    'state': state, 'response_date': date, 'reason': reason})
