# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The life cycle of a service ticket as data, without the ORM.

The ticket model (ticket.py) reads its ``_transitions`` from TRANSITIONS
and asks :func:`target` and :func:`skipped` what a step does; DESIGN.md
draws the table. A company switches the OPTIONAL_STEPS on or off per
ticket kind: a step that is off is taken automatically as soon as the
ticket reaches the state it starts from.
"""

STATES = [
    ('pending', "Pending"),
    ('accepted', "Accepted"),
    ('dispatched', "Dispatched"),
    ('taken', "Taken"),
    ('processing', "In Progress"),
    ('done', "Completed"),
    ('closed', "Closed"),
    ('visited', "Called Back"),
    ('cancelled', "Cancelled"),
    ('reopened', "Reopened"),
    ]
# States in which a ticket still waits for work: SLA clocks run
OPEN_STATES = ['pending', 'accepted', 'dispatched', 'taken', 'processing',
    'reopened']
# States in which the work is done
DONE_STATES = ['done', 'closed', 'visited']
# States in which a technician holds the ticket
ASSIGNED_STATES = ['dispatched', 'taken', 'processing']

STEPS = [
    ('report', "Report"),
    ('accept', "Accept"),
    ('dispatch', "Dispatch"),
    ('reassign', "Reassign"),
    ('decline', "Decline"),
    ('take', "Take"),
    ('start', "Start"),
    ('complete', "Complete"),
    ('close', "Close"),
    ('callback', "Call Back"),
    ('cancel', "Cancel"),
    ('reopen', "Reopen"),
    ('appointment', "Propose Appointment"),
    ('appointment_confirm', "Confirm Appointment"),
    ]

# step: (states it starts from, state it leads to)
TRANSITIONS = {
    'accept': (('pending',), 'accepted'),
    'dispatch': (('accepted', 'reopened'), 'dispatched'),
    'reassign': (('dispatched', 'taken', 'processing'), 'dispatched'),
    'decline': (('dispatched', 'taken'), 'accepted'),
    'take': (('dispatched',), 'taken'),
    'start': (('taken',), 'processing'),
    'complete': (('processing',), 'done'),
    'close': (('done',), 'closed'),
    'callback': (('closed',), 'visited'),
    'cancel': (('pending', 'accepted', 'dispatched', 'taken', 'processing',
            'reopened', 'done'), 'cancelled'),
    'reopen': (('done', 'closed', 'visited'), 'reopened'),
    }

# The steps a company may switch off per ticket kind, in their order
OPTIONAL_STEPS = ['accept', 'dispatch', 'take', 'start', 'complete', 'close',
    'callback']
# A step the switched-off step also switches off: nobody takes a ticket
# that was never dispatched to anybody
IMPLIED_OFF = {'dispatch': ['take']}
# The step that moves a ticket on from a state in the normal course
NEXT_STEP = {
    'pending': 'accept',
    'accepted': 'dispatch',
    'reopened': 'dispatch',
    'dispatched': 'take',
    'taken': 'start',
    'processing': 'complete',
    'done': 'close',
    'closed': 'callback',
    }
# Steps that count as the first response to the reporter
RESPONSE_STEPS = {'accept', 'dispatch', 'take', 'start', 'complete'}


def transitions():
    "The (from, to) pairs of every step, as Workflow._transitions wants them"
    return {(from_, to) for froms, to in TRANSITIONS.values()
        for from_ in froms}


def target(step, state):
    "The state step leads to from state, None when it does not start there"
    froms, to = TRANSITIONS[step]
    return to if state in froms else None


def effective_steps(enabled):
    "The optional steps really on, given those switched on"
    enabled = set(enabled)
    for step, implied in IMPLIED_OFF.items():
        if step not in enabled:
            enabled.difference_update(implied)
    return enabled


def skipped(state, enabled):
    """The (step, from, to) taken automatically from state while the next
    step is switched off, in order"""
    enabled = effective_steps(enabled)
    route = []
    while (step := NEXT_STEP.get(state)) and step not in enabled:
        to = target(step, state)
        route.append((step, state, to))
        state = to
    return route
