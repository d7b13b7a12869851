# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Service tickets (T1–T5, T7, T8): repairs, complaints, suggestions and
inquiries. What a ticket records is here; its life cycle, the steps the
apps call, is in ticket_step.py.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from sql import Literal

from trytond.bus import notify
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .category import KINDS, URGENCIES
from .exceptions import (
    TicketDeleteError, TicketValidationError, TicketWorkflowFieldError)
from .message import AUTHOR_KINDS
from .ticket_step import TicketStepMixin
from .workflow import OPEN_STATES, STATES

AREAS = [
    ('private', "Private Area"),
    ('public', "Public Area"),
    ]
SOURCES = [
    ('phone', "Phone"),
    ('walk_in', "Walk-in"),
    ('owner_app', "Owner App"),
    ('staff_app', "Staff App"),
    ('back_office', "Back Office"),
    ('inspection', "Inspection"),
    ]
APPOINTMENT_STATES = [
    (None, ""),
    ('proposed', "Proposed"),
    ('confirmed', "Confirmed"),
    ]
# States in which what was reported may still be corrected
_EARLY_STATES = ['pending', 'accepted', 'reopened']
# Fields only the steps set: a new ticket starts without them and users
# cannot write them
WORKFLOW_FIELDS = {
    'state', 'technician', 'appointment', 'appointment_state',
    'appointment_by', 'appointment_note', 'responded', 'response_minutes',
    'completed', 'resolution_minutes', 'response_deadline',
    'resolution_deadline', 'reported_date', 'overdue_notified', 'rating',
    'rating_comment', 'reopen_count', 'bill',
    }


def local_date(value, timezone):
    "The date of the UTC datetime value in timezone"
    if not value:
        return None
    if timezone:
        value = value.replace(tzinfo=dt.timezone.utc).astimezone(
            ZoneInfo(timezone))
    return value.date()


class Ticket(TicketStepMixin, Workflow, ModelSQL, ModelView):
    "Service Ticket"
    __name__ = 'helpdesk.ticket'
    __string__ = "Service Ticket"
    _rec_name = 'number'
    _early = {'readonly': ~Eval('state').in_(_EARLY_STATES)}
    _open = {'readonly': ~Eval('state').in_(OPEN_STATES)}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_early)
    project = fields.Many2One(
        'property.project', "Project", required=True, states=_early,
        domain=[('company', '=', Eval('company', -1))])
    kind = fields.Selection(
        KINDS, "Kind", required=True, sort=False, states=_early)
    kind_string = kind.translated('kind')
    category = fields.Many2One(
        'helpdesk.category', "Category", states=_open, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('kind', '=', Eval('kind')),
            ],
        help="Customer service classifies the ticket before accepting it; "
        "the category gives the SLA and the team.")
    urgency = fields.Selection(
        URGENCIES, "Urgency", required=True, sort=False, states=_open)
    urgency_string = urgency.translated('urgency')
    team = fields.Many2One(
        'helpdesk.team', "Team", states=_open, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    area = fields.Selection(
        AREAS, "Area", required=True, sort=False, states=_early,
        help="A private area is a resource of the reporter; repairs there "
        "may be charged.")
    area_string = area.translated('area')
    resource = fields.Many2One(
        'property.resource', "Resource", ondelete='RESTRICT',
        domain=[('project', '=', Eval('project', -1))],
        states={
            'readonly': _early['readonly'],
            'invisible': Eval('area') != 'private',
            'required': Eval('area') == 'private',
            })
    location = fields.Many2One(
        'property.location', "Location",
        domain=[('project', '=', Eval('project', -1))],
        states={
            'readonly': _early['readonly'],
            'invisible': Eval('area') != 'public',
            },
        help="The building or unit of the public area, if any.")
    place = fields.Char(
        "Place", states=_early,
        help="Where exactly, such as 电梯厅 or B2 车库.")
    reporter = fields.Many2One(
        'party.party', "Reporter", states=_early,
        context={'company': Eval('company', -1)}, depends={'company'})
    contact_name = fields.Char("Contact", states=_early)
    contact_phone = fields.Char("Contact Phone", states=_early)
    source = fields.Selection(
        SOURCES, "Source", required=True, sort=False, states=_early)
    source_string = source.translated('source')
    title = fields.Char("Title", required=True, states=_early)
    description = fields.Text("Description", states=_early)

    technician = fields.Many2One(
        'company.employee', "Technician", readonly=True, ondelete='RESTRICT',
        help="The technician the ticket is dispatched to.")
    assignments = fields.One2Many(
        'helpdesk.ticket.assignment', 'ticket', "Assignments", readonly=True)
    appointment = fields.DateTime(
        "Appointment", readonly=True,
        help="The visit time (预约上门时间) proposed or agreed.")
    appointment_state = fields.Selection(
        APPOINTMENT_STATES, "Appointment State", readonly=True)
    appointment_state_string = appointment_state.translated(
        'appointment_state')
    appointment_by = fields.Selection(
        [(None, "")] + AUTHOR_KINDS, "Appointment Proposed By", readonly=True)
    appointment_note = fields.Char("Appointment Note", readonly=True)
    result = fields.Text(
        "Result", states={'readonly': ~Eval('state').in_(OPEN_STATES)},
        help="What was found and done.")

    reported = fields.DateTime("Reported", required=True, readonly=True)
    reported_date = fields.Date(
        "Report Date", readonly=True,
        help="The day of the report in the company's time zone.")
    responded = fields.DateTime(
        "Responded", readonly=True,
        help="When somebody first acted on the ticket.")
    response_minutes = fields.Integer("Response Time (min)", readonly=True)
    completed = fields.DateTime("Completed", readonly=True)
    resolution_minutes = fields.Integer(
        "Resolution Time (min)", readonly=True)
    response_deadline = fields.DateTime(
        "Response Deadline", readonly=True,
        help="The report time plus the response time of the category.")
    resolution_deadline = fields.DateTime(
        "Resolution Deadline", readonly=True,
        help="The report time plus the resolution time of the category.")
    overdue = fields.Function(fields.Boolean(
            "Overdue",
            help="Still open past its response or resolution deadline."),
        'get_overdue', searcher='search_overdue')
    overdue_notified = fields.Boolean("Overdue Notified", readonly=True)
    enabled_steps = fields.Function(fields.MultiSelection(
            'get_optional_steps', "Enabled Steps",
            help="The steps the company keeps on for this kind of ticket; "
            "the others are passed automatically."),
        'get_enabled_steps')

    lines = fields.One2Many(
        'helpdesk.ticket.line', 'ticket', "Lines", states=_open,
        help="Labour, materials and tools; chargeable lines of a private "
        "area are billed to the owner on completion.")
    charge_total = fields.Function(fields.Numeric(
            "Charge", digits=(16, 2),
            help="The chargeable lines, each rounded to the fen."),
        'get_charge_total')
    messages = fields.One2Many(
        'helpdesk.ticket.message', 'ticket', "Messages")
    logs = fields.One2Many(
        'helpdesk.ticket.log', 'ticket', "History", readonly=True)
    report_photos = fields.Function(fields.Many2Many(
            'ir.attachment', None, None, "Photos at Report",
            help="The photos of the report; attach them to the ticket "
            "before it is accepted."), 'get_photos')
    completion_photos = fields.Function(fields.Many2Many(
            'ir.attachment', None, None, "Photos at Completion",
            help="The photos attached to the ticket by the time the work "
            "is completed."), 'get_photos')
    rating = fields.Integer(
        "Rating", readonly=True,
        domain=['OR',
            ('rating', '=', None),
            [('rating', '>=', 1), ('rating', '<=', 5)],
            ],
        help="The reporter's satisfaction at the call back, 1 to 5.")
    rating_comment = fields.Text("Feedback", readonly=True)
    reopen_count = fields.Integer("Reopened", readonly=True)
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    del _early, _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Similarity())),
                Index(t, (t.project, Index.Equality()),
                    (t.reported_date, Index.Range())),
                Index(t, (t.technician, Index.Equality()),
                    (t.state, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(OPEN_STATES)),
                })
        cls._order = [('reported', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def now():
        """The current UTC time; the private context key _helpdesk_now
        dates events for the demo data and the tests (it cannot come in
        through RPC)"""
        return Transaction().context.get('_helpdesk_now') or (
            dt.datetime.now())

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'repair'

    @staticmethod
    def default_urgency():
        return 'normal'

    @staticmethod
    def default_area():
        return 'private'

    @staticmethod
    def default_source():
        return 'back_office'

    @staticmethod
    def default_state():
        return 'pending'

    @staticmethod
    def default_reopen_count():
        return 0

    @staticmethod
    def default_overdue_notified():
        return False

    @classmethod
    def default_reported(cls):
        return cls.now()

    @fields.depends('category', 'team', 'urgency', 'state')
    def on_change_category(self):
        if self.category:
            self.team = self.category.team
            if self.state in {None, 'pending', 'accepted'}:
                self.urgency = self.category.urgency

    @fields.depends('area', 'resource', 'location')
    def on_change_area(self):
        if self.area == 'private':
            self.location = None
        elif self.area == 'public':
            self.resource = None

    @fields.depends('resource', 'reporter', 'contact_name', 'contact_phone')
    def on_change_resource(self):
        if self.resource and not self.reporter:
            owners = self.resource.owners
            if owners:
                self.reporter = owners[0]
        if self.reporter and not self.contact_phone:
            self.contact_phone = (
                self.reporter.owner_phone or self.reporter.phone)
        if self.reporter and not self.contact_name:
            self.contact_name = self.reporter.name

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('title', operator, operand, *extra),
            ]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('overdue', False), 'danger',
                    If(Eval('state') == 'pending', 'warning', ''))),
            ]

    # SLA

    def get_overdue(self, name):
        now = self.now()
        if self.state not in OPEN_STATES:
            return False
        return bool(
            (not self.responded and self.response_deadline
                and self.response_deadline < now)
            or (self.resolution_deadline and self.resolution_deadline < now))

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause[:3]
        now = cls.now()
        overdue = [
            ('state', 'in', OPEN_STATES),
            ['OR',
                [
                    ('responded', '=', None),
                    ('response_deadline', '<', now),
                    ],
                ('resolution_deadline', '<', now),
                ],
            ]
        if (operator == '=') == bool(value):
            return overdue
        return ['OR',
            ('state', 'not in', OPEN_STATES),
            [
                ['OR',
                    ('responded', '!=', None),
                    ('response_deadline', '=', None),
                    ('response_deadline', '>=', now),
                    ],
                ['OR',
                    ('resolution_deadline', '=', None),
                    ('resolution_deadline', '>=', now),
                    ],
                ],
            ]

    @classmethod
    def _deadlines(cls, category, reported):
        "The response and resolution deadlines of a report"
        if not category or not reported:
            return None, None
        return tuple(reported + delta if delta else None
            for delta in [category.response_time, category.resolution_time])

    @classmethod
    def get_enabled_steps(cls, tickets, name):
        return {t.id: sorted(enabled)
            for t, (enabled, _) in cls._settings(tickets).items()}

    @classmethod
    def get_charge_total(cls, tickets, name):
        return Pool().get('helpdesk.ticket.line').charges(tickets)

    @classmethod
    def get_photos(cls, tickets, names):
        Attachment = Pool().get('ir.attachment')
        result = {n: {t.id: [] for t in tickets} for n in names}
        stages = {'report_photos': 'report', 'completion_photos': 'completion'}
        for sub in grouped_slice(tickets, in_max()):
            for attachment in Attachment.search([
                        ('resource', 'in', [str(t) for t in sub]),
                        ('helpdesk_stage', '!=', None),
                        ], order=[('id', 'ASC')]):
                for name in names:
                    if attachment.helpdesk_stage == stages[name]:
                        result[name][attachment.resource.id].append(
                            attachment.id)
        return result

    # Creation, numbering, notification

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('helpdesk.configuration')
        Category = pool.get('helpdesk.category')
        Company = pool.get('company.company')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            for name in WORKFLOW_FIELDS:
                values.pop(name, None)
            company_id = values.get('company', cls.default_company())
            if not values.get('number') and company_id is not None:
                sequence = Configuration(1).get_multivalue(
                    'ticket_sequence', company=company_id)
                if sequence:
                    values['number'] = sequence.get()
            reported = values.setdefault('reported', cls.now())
            category = None
            if values.get('category'):
                category = Category(values['category'])
                values.setdefault('urgency', category.urgency)
                if category.team:
                    values.setdefault('team', category.team.id)
            (values['response_deadline'],
                values['resolution_deadline']) = cls._deadlines(
                category, reported)
            if company_id is not None:
                values['reported_date'] = local_date(
                    reported, Company(company_id).timezone)
        return values

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'technician', 'assignments', 'appointment',
                'appointment_state', 'appointment_by', 'appointment_note',
                'result', 'responded', 'response_minutes', 'completed',
                'resolution_minutes', 'response_deadline',
                'resolution_deadline', 'messages', 'logs', 'rating',
                'rating_comment', 'reported', 'reported_date']:
            default.setdefault(name, None)
        default.setdefault('state', 'pending')
        default.setdefault('reopen_count', 0)
        default.setdefault('overdue_notified', False)
        return super().copy(tickets, default=default)

    @classmethod
    def check_modification(cls, mode, tickets, values=None, external=False):
        super().check_modification(
            mode, tickets, values=values, external=external)
        if mode == 'write' and external:
            protected = WORKFLOW_FIELDS & set(values)
            if protected:
                names = cls.fields_get(list(protected))
                raise TicketWorkflowFieldError(gettext(
                        'aishang_helpdesk.msg_ticket_workflow_fields',
                        ticket=', '.join(t.rec_name for t in tickets[:5]),
                        fields=', '.join(
                            names[n]['string'] for n in sorted(protected))))
        if mode == 'delete':
            for ticket in tickets:
                if ticket.state != 'pending':
                    raise TicketDeleteError(gettext(
                            'aishang_helpdesk.msg_ticket_delete',
                            ticket=ticket.rec_name))

    @classmethod
    def validate_fields(cls, tickets, field_names):
        super().validate_fields(tickets, field_names)
        if field_names and not (field_names & {
                    'area', 'resource', 'project', 'location'}):
            return
        for ticket in tickets:
            if ticket.resource and ticket.resource.project != ticket.project:
                raise TicketValidationError(gettext(
                        'aishang_helpdesk.msg_ticket_resource_project',
                        ticket=ticket.rec_name))
            if ticket.location and ticket.location.project != ticket.project:
                raise TicketValidationError(gettext(
                        'aishang_helpdesk.msg_ticket_location_project',
                        ticket=ticket.rec_name))

    @classmethod
    def on_modification(cls, mode, tickets, field_names=None):
        super().on_modification(mode, tickets, field_names=field_names)
        if mode == 'create':
            with without_check_access():
                cls._log_moves(
                    [(t, None, t.state) for t in tickets], 'report')
                cls._pass_disabled(tickets)
            cls._notify_reported(tickets)
        elif mode == 'write' and field_names & {'category', 'reported'}:
            to_write = []
            for ticket in tickets:
                deadlines = cls._deadlines(ticket.category, ticket.reported)
                if deadlines != (
                        ticket.response_deadline, ticket.resolution_deadline):
                    to_write.extend(([ticket], dict(zip(
                                    ['response_deadline',
                                        'resolution_deadline'],
                                    deadlines))))
            if to_write:
                cls.write(*to_write)

    @classmethod
    def _notify_reported(cls, tickets):
        """Show new tickets at once to the customer service of their
        projects (Sao shows bus notifications when the bus is on)"""
        for project, users in cls._service_users(
                {t.project for t in tickets}).items():
            for ticket in tickets:
                if ticket.project != project or ticket.state != 'pending':
                    continue
                title = gettext('aishang_helpdesk.msg_notify_reported_title',
                    project=project.rec_name)
                body = gettext('aishang_helpdesk.msg_notify_reported_body',
                    ticket=ticket.rec_name, title=ticket.title)
                for user in users:
                    notify(title, body, user=user)

    @classmethod
    def _service_users(cls, projects):
        """The ids of the active customer service users per project: members
        of the group (or of a group below it) who see the project"""
        pool = Pool()
        UserGroup = pool.get('res.user-res.group')
        UserProject = pool.get('res.user-property.project')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        service = ModelData.get_id(
            'aishang_helpdesk', 'group_helpdesk_service')
        all_projects = ModelData.get_id(
            'aishang_property', 'group_property_all_projects')
        user_group = UserGroup.user_group_all_table()
        user_project = UserProject.__table__()
        user = User.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*user_group.join(user,
                condition=user_group.user == user.id).select(
                user_group.user, user_group.group,
                where=user_group.group.in_([service, all_projects])
                & (user.active == Literal(True))))
        members, everywhere = set(), set()
        for user_id, group_id in cursor:
            (members if group_id == service else everywhere).add(user_id)
        result = {p: set(members & everywhere) for p in projects}
        project_ids = {p.id: p for p in projects}
        if members - everywhere and project_ids:
            cursor.execute(*user_project.select(
                    user_project.user, user_project.project,
                    where=user_project.project.in_(list(project_ids))
                    & user_project.user.in_(list(members - everywhere))))
            for user_id, project_id in cursor:
                result[project_ids[project_id]].add(user_id)
        return result

    @classmethod
    def report(cls, values, photos=None):
        """Report a ticket from values (as create takes them) with photos
        [{'name': …, 'data': bytes}]; return it.

        The ticket is pending, or further on when the company switched the
        first steps off for its kind.
        """
        ticket, = cls.create([values])
        if photos:
            cls._attach_photos([ticket], photos, 'report')
        return ticket

    # Schedules

    @classmethod
    def cron_overdue(cls):
        """Tell customer service once about each ticket that became
        overdue"""
        tickets = cls.search([
                ('overdue', '=', True),
                ('overdue_notified', '=', False),
                ])
        if not tickets:
            return
        for project, users in cls._service_users(
                {t.project for t in tickets}).items():
            for ticket in tickets:
                if ticket.project != project:
                    continue
                title = gettext('aishang_helpdesk.msg_notify_overdue_title',
                    project=project.rec_name)
                body = gettext('aishang_helpdesk.msg_notify_overdue_body',
                    ticket=ticket.rec_name, title=ticket.title)
                for user in users:
                    notify(title, body, priority=2, user=user)
        cls.write(tickets, {'overdue_notified': True})
