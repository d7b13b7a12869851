# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The Sao dialogs of the steps that need input; each calls the API method
of the step (ticket_step.py) with access checked, as the apps do"""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard


class TicketWizardMixin:
    __slots__ = ()

    def end(self):
        return 'reload'


class DispatchStart(ModelView):
    "Dispatch Ticket"
    __name__ = 'helpdesk.ticket.dispatch.start'
    __string__ = "Dispatch Ticket"
    company = fields.Many2One('company.company', "Company", readonly=True)
    team = fields.Many2One(
        'helpdesk.team', "Team",
        domain=[('company', '=', Eval('company', -1))])
    technician = fields.Many2One(
        'helpdesk.technician.workload', "Technician", required=True,
        domain=[
            If(Eval('team'),
                ('team', '=', Eval('team', -1)),
                ('team.company', '=', Eval('company', -1))),
            ],
        help="The open tickets of each technician are shown in brackets.")
    workloads = fields.One2Many(
        'helpdesk.technician.workload', None, "Workload", readonly=True)
    note = fields.Text("Note", help="What the technician should know.")

    @fields.depends('team', 'company', 'technician', 'workloads')
    def on_change_team(self):
        Workload = Pool().get('helpdesk.technician.workload')
        domain = [('team.company', '=', self.company.id if self.company
                else -1)]
        if self.team:
            domain = [('team', '=', self.team.id)]
        self.workloads = Workload.search(domain)
        if self.technician and self.technician not in self.workloads:
            self.technician = None


class Dispatch(TicketWizardMixin, Wizard):
    "Dispatch Ticket"
    __name__ = 'helpdesk.ticket.dispatch'
    start = StateView('helpdesk.ticket.dispatch.start',
        'aishang_helpdesk.ticket_dispatch_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Dispatch", 'dispatch', 'tryton-ok', default=True),
            ])
    dispatch = StateTransition()

    def default_start(self, fields):
        Workload = Pool().get('helpdesk.technician.workload')
        ticket = self.records[0]
        team = ticket.team or (ticket.category.team if ticket.category
            else None)
        domain = [('team.company', '=', ticket.company.id)]
        if team:
            domain = [('team', '=', team.id)]
        workloads = Workload.search(domain)
        technician = next((w.id for w in workloads
                if ticket.technician and w.employee == ticket.technician),
            None)
        return {
            'company': ticket.company.id,
            'team': team.id if team else None,
            'workloads': [w.id for w in workloads],
            'technician': technician,
            }

    def transition_dispatch(self):
        Ticket = Pool().get('helpdesk.ticket')
        with check_access():
            Ticket.dispatch(list(self.records),
                self.start.technician.employee.id, self.start.note)
        return 'end'


class ReasonStart(ModelView):
    "Reason"
    __name__ = 'helpdesk.ticket.reason.start'
    __string__ = "Reason"
    reason = fields.Text("Reason", required=True)


class ReasonWizardMixin(TicketWizardMixin):
    "A step that asks why"
    __slots__ = ()
    _method = None

    def transition_apply(self):
        Ticket = Pool().get('helpdesk.ticket')
        with check_access():
            getattr(Ticket, self._method)(
                list(self.records), self.start.reason)
        return 'end'


def _reason_view(button):
    return StateView('helpdesk.ticket.reason.start',
        'aishang_helpdesk.ticket_reason_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button(button, 'apply', 'tryton-ok', default=True),
            ])


class Decline(ReasonWizardMixin, Wizard):
    "Decline Ticket"
    __name__ = 'helpdesk.ticket.decline'
    start = _reason_view("Decline")
    apply = StateTransition()
    _method = 'decline'


class Cancel(ReasonWizardMixin, Wizard):
    "Cancel Ticket"
    __name__ = 'helpdesk.ticket.cancel'
    start = _reason_view("Cancel Ticket")
    apply = StateTransition()
    _method = 'cancel'


class Reopen(ReasonWizardMixin, Wizard):
    "Reopen Ticket"
    __name__ = 'helpdesk.ticket.reopen'
    start = _reason_view("Reopen")
    apply = StateTransition()
    _method = 'reopen'


class AppointmentStart(ModelView):
    "Appointment"
    __name__ = 'helpdesk.ticket.appointment.start'
    __string__ = "Appointment"
    appointment = fields.DateTime("Visit Time", required=True)
    note = fields.Char("Note")
    confirmed = fields.Boolean(
        "Agreed with the Owner",
        help="Check when the time was agreed on the phone: it is confirmed "
        "at once.")


class Appointment(TicketWizardMixin, Wizard):
    "Propose Appointment"
    __name__ = 'helpdesk.ticket.appointment'
    start = StateView('helpdesk.ticket.appointment.start',
        'aishang_helpdesk.ticket_appointment_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Save", 'apply', 'tryton-ok', default=True),
            ])
    apply = StateTransition()

    def default_start(self, fields):
        ticket = self.records[0]
        return {'appointment': ticket.appointment}

    def transition_apply(self):
        Ticket = Pool().get('helpdesk.ticket')
        records = list(self.records)
        with check_access():
            Ticket.propose_appointment(
                records, self.start.appointment, self.start.note)
            if self.start.confirmed:
                Ticket.confirm_appointment(records)
        return 'end'


class CallbackStart(ModelView):
    "Call Back"
    __name__ = 'helpdesk.ticket.callback.start'
    __string__ = "Call Back"
    rating = fields.Selection([
            ('5', "5 - Very Satisfied"),
            ('4', "4 - Satisfied"),
            ('3', "3 - Neutral"),
            ('2', "2 - Dissatisfied"),
            ('1', "1 - Very Dissatisfied"),
            ], "Rating", required=True, sort=False)
    comment = fields.Text("Feedback")


class Callback(TicketWizardMixin, Wizard):
    "Call Back"
    __name__ = 'helpdesk.ticket.callback'
    start = StateView('helpdesk.ticket.callback.start',
        'aishang_helpdesk.ticket_callback_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Save", 'apply', 'tryton-ok', default=True),
            ])
    apply = StateTransition()

    def transition_apply(self):
        Ticket = Pool().get('helpdesk.ticket')
        with check_access():
            Ticket.callback(list(self.records), int(self.start.rating),
                self.start.comment)
        return 'end'
