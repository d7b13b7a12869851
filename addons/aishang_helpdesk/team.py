# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import DeactivableMixin, Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .workflow import ASSIGNED_STATES


class Team(DeactivableMixin, ModelSQL, ModelView):
    "A team of technicians (工程组, 保洁组…) that handles categories"
    __name__ = 'helpdesk.team'
    __string__ = "Service Team"
    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True)
    leader = fields.Many2One(
        'company.employee', "Leader",
        domain=[('company', '=', Eval('company', -1))])
    members = fields.Many2Many(
        'helpdesk.team-company.employee', 'team', 'employee', "Members",
        domain=[('company', '=', Eval('company', -1))],
        help="The technicians tickets of the team are dispatched to.")
    categories = fields.One2Many(
        'helpdesk.category', 'team', "Categories", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class TeamMember(ModelSQL):
    "Team - Technician"
    __name__ = 'helpdesk.team-company.employee'
    __string__ = "Team Member"
    team = fields.Many2One(
        'helpdesk.team', "Team", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Technician", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.employee, Index.Equality())))


class Workload(ModelSQL, ModelView):
    """The open tickets of each technician of a team, counted in SQL: what
    the dispatcher looks at to choose whom to send"""
    __name__ = 'helpdesk.technician.workload'
    __string__ = "Technician Workload"
    team = fields.Many2One('helpdesk.team', "Team")
    employee = fields.Many2One('company.employee', "Technician")
    open_count = fields.Integer(
        "Open Tickets",
        help="Tickets dispatched to the technician and not completed yet.")
    processing_count = fields.Integer(
        "In Progress", help="Tickets the technician is working on.")
    overdue_count = fields.Integer(
        "Overdue", help="Open tickets past their resolution deadline.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('open_count', 'ASC'), ('employee', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Team = pool.get('helpdesk.team')
        Member = pool.get('helpdesk.team-company.employee')
        Ticket = pool.get('helpdesk.ticket')
        User = pool.get('res.user')
        team = Team.__table__()
        member = Member.__table__()
        ticket = Ticket.__table__()
        now = Ticket.now()
        counts = ticket.select(
            ticket.technician.as_('employee'),
            Count(ticket.id).as_('open_count'),
            Sum(Case((ticket.state == 'processing', 1), else_=0)).as_(
                'processing_count'),
            Sum(Case(((ticket.resolution_deadline != Null)
                        & (ticket.resolution_deadline < now), 1),
                    else_=0)).as_('overdue_count'),
            where=ticket.state.in_(ASSIGNED_STATES)
            & (ticket.technician != Null),
            group_by=[ticket.technician])
        # The workload is the technician's whatever the project: the
        # tickets are only counted, never shown
        where = (team.active == Literal(True)) & team.company.in_(
            list(User.get_companies()) or [-1])
        return member.join(team, condition=member.team == team.id).join(
            counts, 'LEFT', condition=counts.employee == member.employee
            ).select(
            member.id.as_('id'),
            member.create_uid.as_('create_uid'),
            member.create_date.as_('create_date'),
            member.write_uid.as_('write_uid'),
            member.write_date.as_('write_date'),
            member.team.as_('team'),
            member.employee.as_('employee'),
            Coalesce(counts.open_count, 0).as_('open_count'),
            Coalesce(counts.processing_count, 0).as_('processing_count'),
            Coalesce(counts.overdue_count, 0).as_('overdue_count'),
            where=where)

    def get_rec_name(self, name):
        return f'{self.employee.rec_name} ({self.open_count})'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('employee.rec_name', operator, operand, *extra)]
