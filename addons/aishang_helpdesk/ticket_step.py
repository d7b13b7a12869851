# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The steps of a service ticket: the engine and the API of the apps.

Every step is a class method of ``helpdesk.ticket``; the Sao buttons and
wizards, the owner app and the staff app call the same ones. Each entry
point is a ``ModelView.button``, so the groups of its ``ir.model.button``
decide who may call it, and each runs the one engine (:meth:`_step`) that
checks the transition table (workflow.py), writes the state, logs
who/when/from/to/why and then passes the steps the company switched off.
"""
import datetime as dt
from collections import defaultdict
from functools import wraps

from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from . import workflow
from .exceptions import (
    TicketActionError, TicketStepDisabledError, TicketTransitionError)
from .message import author_kind
from .workflow import (
    ASSIGNED_STATES, OPTIONAL_STEPS, RESPONSE_STEPS, TRANSITIONS)


# The method of the steps not named after them
STEP_METHODS = {
    'reassign': 'dispatch',
    'appointment': 'propose_appointment',
    'appointment_confirm': 'confirm_appointment',
    }


def step_button(step):
    """ModelView.button that refuses a step the tickets cannot take with
    the engine's message, before the button's states give a generic one"""
    def decorator(func):
        button = ModelView.button(func)

        @wraps(func)
        def wrapper(cls, tickets, *args, **kwargs):
            transaction = Transaction()
            if (transaction.user and transaction.check_access and tickets
                    and cls._may_click(func.__name__)):
                # The record rules first: say nothing of other tickets
                cls.read([t.id for t in tickets], ['id'])
                with without_check_access():
                    tickets_ = cls.browse(tickets)
                    if step == 'appointment_confirm':
                        cls._check_appointment_confirm(tickets_)
                    else:
                        cls._check_step(tickets_, step)
            return button(cls, tickets, *args, **kwargs)
        return wrapper
    return decorator


def minutes_between(start, end):
    "Whole minutes from start to end"
    return int((end - start).total_seconds() // 60)


class TicketStepMixin:
    "The life cycle of helpdesk.ticket"
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= workflow.transitions()
        cls._buttons.update({
                'accept': _shown_in('pending', step='accept'),
                'dispatch_wizard': _shown_in(
                    'accepted', 'reopened', *ASSIGNED_STATES,
                    step='dispatch'),
                'take': _shown_in('dispatched', step='take'),
                'decline_wizard': _shown_in(
                    *TRANSITIONS['decline'][0], technician=True),
                'appointment_wizard': _shown_in(
                    *ASSIGNED_STATES, technician=True),
                'confirm_appointment': _shown_in(
                    *ASSIGNED_STATES, technician=True,
                    appointment='proposed'),
                'start': _shown_in('taken', step='start'),
                'complete': _shown_in('processing', step='complete'),
                'close': _shown_in('done', step='close'),
                'callback_wizard': _shown_in('closed', step='callback'),
                'cancel_wizard': _shown_in(*TRANSITIONS['cancel'][0]),
                'reopen_wizard': _shown_in(*TRANSITIONS['reopen'][0]),
                })
        cls.__rpc__.update({
                'report': RPC(readonly=False, result=int),
                'steps': RPC(instantiate=0),
                })
        for name in ['dispatch', 'decline', 'propose_appointment',
                'callback', 'cancel', 'reopen', 'add_photos']:
            cls.__rpc__[name] = RPC(readonly=False, instantiate=0)
        cls.__rpc__['post_message'] = RPC(readonly=False, instantiate=0,
            result=lambda messages: [m.id for m in messages])

    # The engine

    @classmethod
    def get_optional_steps(cls):
        "The selection of enabled_steps"
        return [(s, _step_string(s)) for s in OPTIONAL_STEPS]

    @classmethod
    def _settings(cls, tickets):
        "(enabled steps, reopen rating) per ticket"
        KindSetting = Pool().get('helpdesk.kind.setting')
        settings = KindSetting.settings(
            {(t.company.id, t.kind) for t in tickets})
        return {t: settings[(t.company.id, t.kind)] for t in tickets}

    @classmethod
    def _check_step(cls, tickets, step):
        "Refuse step on tickets; extensions add their own rules"
        for ticket in tickets:
            to = workflow.target(step, ticket.state)
            if to is None:
                raise TicketTransitionError(gettext(
                        'aishang_helpdesk.msg_ticket_transition',
                        ticket=ticket.rec_name,
                        state=ticket.state_string,
                        step=_step_string(step),
                        to=_state_string(TRANSITIONS[step][1])))
        switch = 'dispatch' if step == 'reassign' else step
        if switch in OPTIONAL_STEPS:
            for ticket, (enabled, _) in cls._settings(tickets).items():
                if switch not in enabled:
                    raise TicketStepDisabledError(gettext(
                            'aishang_helpdesk.msg_ticket_step_disabled',
                            ticket=ticket.rec_name,
                            step=_step_string(switch),
                            kind=ticket.kind_string))

    @classmethod
    def _check_appointment_confirm(cls, tickets):
        for ticket in tickets:
            if (ticket.appointment_state != 'proposed'
                    or ticket.state not in ASSIGNED_STATES):
                raise TicketActionError(gettext(
                        'aishang_helpdesk.msg_ticket_appointment_confirm',
                        ticket=ticket.rec_name))

    @classmethod
    def _step(cls, tickets, step, reason=None, values=None,
            automatic=False):
        """Take step on tickets: check the transition, write the state and
        values, log it, then pass the steps switched off"""
        tickets = cls.browse(tickets)
        if not tickets:
            return
        with without_check_access():
            if not automatic:
                cls._check_step(tickets, step)
            to = TRANSITIONS[step][1]
            moves = [(t, t.state, to) for t in tickets]
            cls.write(tickets, {'state': to, **(values or {})})
            cls._log_moves(moves, step, reason=reason, automatic=automatic)
            cls._enter_state(tickets, step, to, automatic, reason=reason)
            cls._pass_disabled(tickets)

    @classmethod
    def _log_moves(cls, moves, step, reason=None, automatic=False):
        Log = Pool().get('helpdesk.ticket.log')
        Log.log(moves, step, cls.now(), reason=reason, automatic=automatic)

    @classmethod
    def _pass_disabled(cls, tickets):
        "Take automatically the next step of tickets while it is off"
        tickets = cls.browse(tickets)
        by_step = defaultdict(list)
        for ticket, (enabled, _) in cls._settings(tickets).items():
            route = workflow.skipped(ticket.state, enabled)
            if route:
                by_step[route[0][0]].append(ticket)
        for step, step_tickets in by_step.items():
            cls._step(step_tickets, step, automatic=True)

    @classmethod
    def _enter_state(cls, tickets, step, state, automatic, reason=None):
        """Record what reaching state by step means: response and
        completion times, assignments, the stage of photos"""
        pool = Pool()
        Assignment = pool.get('helpdesk.ticket.assignment')
        now = cls.now()
        to_write = []
        if not automatic and step in RESPONSE_STEPS:
            for ticket in tickets:
                if not ticket.responded:
                    to_write.extend(([ticket], {
                                'responded': now,
                                'response_minutes': minutes_between(
                                    ticket.reported, now),
                                }))
        if state == 'done':
            for ticket in tickets:
                to_write.extend(([ticket], {
                            'completed': now,
                            'resolution_minutes': minutes_between(
                                ticket.reported, now),
                            }))
            cls._stage_photos(tickets, 'completion')
        elif step == 'accept':
            cls._stage_photos(tickets, 'report')
        elif step == 'take':
            Assignment.close(tickets, 'taken', now)
        elif step == 'reopen':
            for ticket in tickets:
                to_write.extend(([ticket], {
                            'reopen_count': (ticket.reopen_count or 0) + 1,
                            'completed': None,
                            'resolution_minutes': None,
                            }))
        elif state == 'cancelled':
            Assignment.close(tickets, 'replaced', now)
        if to_write:
            cls.write(*to_write)

    @classmethod
    def _may_click(cls, method):
        "Whether the user is in a group of the ir.model.button of method"
        pool = Pool()
        Button = pool.get('ir.model.button')
        User = pool.get('res.user')
        if not Transaction().user:
            return True
        button_groups = Button.get_groups(cls.__name__, method)
        return not button_groups or bool(
            set(User.get_groups()) & button_groups)

    @classmethod
    def steps(cls, tickets):
        """The steps each ticket may take now and the user may call, per
        ticket id: for the apps to show their buttons"""
        result = {}
        settings = cls._settings(tickets)
        for ticket in tickets:
            enabled, _ = settings[ticket]
            steps = []
            for step, (froms, _) in TRANSITIONS.items():
                switch = 'dispatch' if step == 'reassign' else step
                if ticket.state in froms and (
                        switch not in OPTIONAL_STEPS or switch in enabled
                        ) and (step != 'decline' or ticket.technician):
                    steps.append(step)
            if ticket.state in ASSIGNED_STATES and ticket.technician:
                steps.append('appointment')
                if ticket.appointment_state == 'proposed':
                    steps.append('appointment_confirm')
            result[ticket.id] = [s for s in steps
                if cls._may_click(STEP_METHODS.get(s, s))]
        return result

    # The steps: each one is a button of its own or an API method whose
    # ir.model.button gives the groups allowed to call it

    @classmethod
    @step_button('accept')
    def accept(cls, tickets):
        "Accept and classify pending tickets (受理)"
        for ticket in tickets:
            if not ticket.category:
                raise TicketActionError(gettext(
                        'aishang_helpdesk.msg_ticket_accept_category',
                        ticket=ticket.rec_name))
        cls._step(tickets, 'accept')

    @classmethod
    @ModelView.button
    def dispatch(cls, tickets, technician, note=None):
        """Dispatch tickets to technician (派单), or dispatch them again to
        another one while they are assigned"""
        pool = Pool()
        Employee = pool.get('company.employee')
        Assignment = pool.get('helpdesk.ticket.assignment')
        if not technician:
            raise TicketActionError(gettext(
                    'aishang_helpdesk.msg_ticket_dispatch_technician'))
        technician = Employee(int(technician))
        for ticket in tickets:
            if technician.company != ticket.company:
                raise TicketActionError(gettext(
                        'aishang_helpdesk.msg_ticket_technician_company',
                        ticket=ticket.rec_name,
                        technician=technician.rec_name))
        again = [t for t in tickets
            if t.state in TRANSITIONS['reassign'][0]]
        first = [t for t in tickets if t not in again]
        now = cls.now()
        with without_check_access():
            cls._check_step(first, 'dispatch')
            cls._check_step(again, 'reassign')
            # A reopened ticket may still hold its previous assignment
            Assignment.close(tickets, 'replaced', now)
            Assignment.create([{
                        'ticket': t.id,
                        'technician': technician.id,
                        'assigned_by': Transaction().user,
                        'date': now,
                        'state': 'assigned',
                        } for t in tickets])
        values = {'technician': technician.id, 'appointment': None,
            'appointment_state': None, 'appointment_by': None,
            'appointment_note': None}
        cls._step(first, 'dispatch', reason=note, values=values)
        cls._step(again, 'reassign', reason=note, values=values)

    @classmethod
    @step_button('take')
    def take(cls, tickets):
        "The technician accepts the tickets dispatched to him (接单)"
        cls._step(tickets, 'take')

    @classmethod
    @ModelView.button
    def decline(cls, tickets, reason):
        "The technician declines the tickets, which go back to dispatch"
        Assignment = Pool().get('helpdesk.ticket.assignment')
        _require_reason(reason, 'msg_ticket_decline_reason')
        with without_check_access():
            cls._check_step(tickets, 'decline')
            Assignment.close(tickets, 'declined', cls.now(), reason=reason)
        cls._step(tickets, 'decline', reason=reason,
            values={'technician': None, 'appointment': None,
                'appointment_state': None, 'appointment_by': None,
                'appointment_note': None})

    @classmethod
    @ModelView.button
    def propose_appointment(cls, tickets, when, note=None, by=None):
        "Propose a visit time (预约上门时间) to the other side"
        if not isinstance(when, dt.datetime):
            raise TicketActionError(gettext(
                    'aishang_helpdesk.msg_ticket_appointment_date'))
        for ticket in tickets:
            if ticket.state not in ASSIGNED_STATES:
                raise TicketActionError(gettext(
                        'aishang_helpdesk.msg_ticket_appointment_state',
                        ticket=ticket.rec_name, state=ticket.state_string))
        with without_check_access():
            for ticket in tickets:
                cls.write([ticket], {
                        'appointment': when,
                        'appointment_state': 'proposed',
                        'appointment_by': by or author_kind(ticket),
                        'appointment_note': note,
                        })
            cls._log_moves([(t, t.state, t.state) for t in tickets],
                'appointment', reason=note)

    @classmethod
    @step_button('appointment_confirm')
    def confirm_appointment(cls, tickets, by=None):
        "Agree the proposed visit time"
        cls._check_appointment_confirm(tickets)
        with without_check_access():
            cls.write(tickets, {'appointment_state': 'confirmed'})
            cls._log_moves([(t, t.state, t.state) for t in tickets],
                'appointment_confirm', reason=by)

    @classmethod
    @step_button('start')
    def start(cls, tickets):
        "Start the work (处理中)"
        cls._step(tickets, 'start')

    @classmethod
    @step_button('complete')
    def complete(cls, tickets, result=None):
        """Mark the work done (已完成); photos attached by then are the
        completion photos and chargeable repairs are billed"""
        cls._step(tickets, 'complete',
            values={'result': result} if result else None)

    @classmethod
    @step_button('close')
    def close(cls, tickets):
        "Customer service checks the work and closes the tickets (关单)"
        cls._step(tickets, 'close')

    @classmethod
    @ModelView.button
    def callback(cls, tickets, rating, comment=None):
        """Record the call back (回访): a rating of 1 to 5 and the feedback;
        a rating at or below the company's threshold reopens the ticket"""
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = None
        if rating is None or not 1 <= rating <= 5:
            raise TicketActionError(gettext(
                    'aishang_helpdesk.msg_ticket_callback_rating'))
        cls._step(tickets, 'callback',
            values={'rating': rating, 'rating_comment': comment})
        low = [t for t, (_, threshold) in cls._settings(tickets).items()
            if threshold and rating <= threshold and t.state == 'visited']
        if low:
            with without_check_access():
                cls._step(low, 'reopen', automatic=True, reason=gettext(
                        'aishang_helpdesk.msg_ticket_reopen_rating',
                        rating=rating))

    @classmethod
    @ModelView.button
    def cancel(cls, tickets, reason):
        "Cancel the tickets; an unpaid bill of the repair is voided"
        _require_reason(reason, 'msg_ticket_cancel_reason')
        cls._step(tickets, 'cancel', reason=reason)

    @classmethod
    @ModelView.button
    def reopen(cls, tickets, reason):
        "Reopen completed tickets: they go back to dispatch"
        _require_reason(reason, 'msg_ticket_reopen_reason')
        cls._step(tickets, 'reopen', reason=reason)

    @classmethod
    @ModelView.button
    def post_message(cls, tickets, body, kind=None, party=None):
        """Post body on the thread of tickets as kind (owner, service,
        technician; by default from the user) for party (an owner)"""
        Message = Pool().get('helpdesk.ticket.message')
        if not body or not body.strip():
            raise TicketActionError(gettext(
                    'aishang_helpdesk.msg_ticket_message_empty'))
        with without_check_access():
            return Message.create([{
                        'ticket': t.id,
                        'body': body,
                        'author_kind': kind or author_kind(t),
                        'party': int(party) if party else None,
                        } for t in tickets])

    @classmethod
    @ModelView.button
    def add_photos(cls, tickets, photos, stage=None):
        """Attach photos [{'name': …, 'data': bytes}] to tickets; the stage
        is the report until the work is taken, then the completion"""
        with without_check_access():
            for ticket in tickets:
                ticket_stage = stage or (
                    'report' if ticket.state in {'pending', 'accepted'}
                    else 'completion')
                cls._attach_photos([ticket], photos, ticket_stage)

    @classmethod
    def _attach_photos(cls, tickets, photos, stage):
        Attachment = Pool().get('ir.attachment')
        Attachment.create([{
                    'resource': str(t),
                    'name': photo['name'],
                    'type': 'data',
                    'data': photo['data'],
                    'helpdesk_stage': stage,
                    } for t in tickets for photo in photos])

    @classmethod
    def _stage_photos(cls, tickets, stage):
        "Give stage to the attachments of tickets that have none yet"
        Attachment = Pool().get('ir.attachment')
        for sub in grouped_slice(tickets, in_max()):
            attachments = Attachment.search([
                    ('resource', 'in', [str(t) for t in sub]),
                    ('helpdesk_stage', '=', None),
                    ])
            if attachments:
                Attachment.write(attachments, {'helpdesk_stage': stage})

    # Sao: the steps that need input open a wizard calling the API above

    @classmethod
    @ModelView.button_action('aishang_helpdesk.wizard_ticket_dispatch')
    def dispatch_wizard(cls, tickets):
        pass

    @classmethod
    @ModelView.button_action('aishang_helpdesk.wizard_ticket_decline')
    def decline_wizard(cls, tickets):
        pass

    @classmethod
    @ModelView.button_action('aishang_helpdesk.wizard_ticket_appointment')
    def appointment_wizard(cls, tickets):
        pass

    @classmethod
    @ModelView.button_action('aishang_helpdesk.wizard_ticket_callback')
    def callback_wizard(cls, tickets):
        pass

    @classmethod
    @ModelView.button_action('aishang_helpdesk.wizard_ticket_cancel')
    def cancel_wizard(cls, tickets):
        pass

    @classmethod
    @ModelView.button_action('aishang_helpdesk.wizard_ticket_reopen')
    def reopen_wizard(cls, tickets):
        pass


def _shown_in(*states, step=None, technician=False, appointment=None):
    """Button states: shown in states only, while step is switched on for
    the ticket, with a technician or with the appointment in that state"""
    hidden = ~Eval('state').in_(list(states))
    depends = ['state']
    if step:
        hidden |= ~Eval('enabled_steps', []).contains(step)
        depends.append('enabled_steps')
    if technician:
        hidden |= ~Eval('technician')
        depends.append('technician')
    if appointment:
        hidden |= Eval('appointment_state') != appointment
        depends.append('appointment_state')
    return {'invisible': hidden, 'depends': depends}


def _selection_string(model_name, name, value):
    "The translated label of value in the selection field name of model_name"
    Model = Pool().get(model_name)
    selection = Model.fields_get([name])[name]['selection']
    return dict(selection).get(value, value)


def _step_string(step):
    return _selection_string('helpdesk.ticket.log', 'step', step)


def _state_string(state):
    return _selection_string('helpdesk.ticket', 'state', state)


def _require_reason(reason, message):
    if not reason or not str(reason).strip():
        raise TicketActionError(gettext(f'aishang_helpdesk.{message}'))
