# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Fixtures shared by the helpdesk tests"
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from trytond.modules.aishang_property.tests.tools import (
    create_building, create_owner, create_project, create_residence)
from trytond.modules.company.tests import create_employee
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder, PYSONEncoder
from trytond.tests.test_tryton import _DBTestCase
from trytond.transaction import Transaction

HOUR = dt.timedelta(hours=1)


class HelpdeskTestCase(_DBTestCase):
    """A database with the helpdesk activated alone, without the generic
    module checks that test_module.py runs"""
    module = 'aishang_helpdesk'


@contextmanager
def at(when):
    "Run the helpdesk as if the time (UTC) were when"
    with Transaction().set_context(_helpdesk_now=when):
        yield


def setup_helpdesk(company):
    """A project with two homes and their owner, a second project, two
    technicians in a team and categories of each kind.

    Return a dict of what the tests look at.
    """
    pool = Pool()
    Team = pool.get('helpdesk.team')
    Category = pool.get('helpdesk.category')
    Ownership = pool.get('property.ownership')
    project = create_project(company)
    other = create_project(company, code='JG', name="金桂苑")
    building = create_building(project)
    unit, = building.units
    home = create_residence(building, unit, '301')
    home2 = create_residence(building, unit, '302')
    owner = create_owner()
    Ownership.create([{
                'resource': home.id, 'party': owner.id,
                'share': Decimal(100), 'primary': True}])
    zhang = create_employee(company, "张师傅")
    li = create_employee(company, "李师傅")
    team, = Team.create([{
                'company': company.id, 'name': "工程组",
                'members': [('add', [zhang.id, li.id])]}])
    categories = {}
    for code, name, kind, urgency, response, resolution in [
            ('SD', "水电维修", 'repair', 'normal', 1, 24),
            ('DT', "电梯故障", 'repair', 'critical', 1, 4),
            ('TD', "服务态度", 'complaint', 'high', 2, 48),
            ('JY', "环境建议", 'suggestion', 'low', None, None),
            ('ZX', "收费咨询", 'inquiry', 'low', 1, 8),
            ]:
        categories[code], = Category.create([{
                    'company': company.id, 'code': code, 'name': name,
                    'kind': kind, 'urgency': urgency,
                    'response_time': response and response * HOUR,
                    'resolution_time': resolution and resolution * HOUR,
                    'team': team.id if kind == 'repair' else None}])
    return {
        'project': project, 'other': other, 'building': building,
        'home': home, 'home2': home2, 'owner': owner, 'zhang': zhang,
        'li': li, 'team': team, 'categories': categories,
        }


def report(fixture, title="厨房水管漏水", category='SD', **values):
    "Report a private-area ticket on the home of the fixture"
    Ticket = Pool().get('helpdesk.ticket')
    category = fixture['categories'][category] if category else None
    values.setdefault('kind', category.kind if category else 'repair')
    values.setdefault('area', 'private')
    if values['area'] == 'private':
        values.setdefault('resource', fixture['home'].id)
        values.setdefault('reporter', fixture['owner'].id)
    return Ticket.report({
            'project': fixture['project'].id,
            'category': category.id if category else None,
            'title': title,
            **values})


def create_user(company, login, groups=(), projects=(), employee=None):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'login': login, 'name': login,
                'companies': [('add', [company.id])],
                'company': company.id,
                'employees': [('add', [employee.id])] if employee else [],
                'employee': employee.id if employee else None,
                'projects': [('add', [p.id for p in projects])],
                'groups': [('add', [ModelData.get_id(*g.split('.'))
                            for g in groups])],
                }])
    return user


@contextmanager
def as_user(user):
    "Run as user with access rights and record rules checked"
    User = Pool().get('res.user')
    with Transaction().set_user(user.id), \
            Transaction().set_context(
                User.get_preferences(context_only=True),
                _check_access=True):
        yield


def moves(ticket):
    "(step, from, to, automatic) of the log of ticket"
    Log = Pool().get('helpdesk.ticket.log')
    return [(l.step, l.from_state, l.to_state, l.automatic)
        for l in Log.search([('ticket', '=', ticket.id)],
            order=[('id', 'ASC')])]


def shown_buttons(ticket):
    "The buttons of ticket whose states Sao would show, as it evaluates them"
    Ticket = Pool().get('helpdesk.ticket')
    values = {'id': ticket.id}
    for name in Ticket._fields:
        value = getattr(ticket, name, None)
        values[name] = value.id if hasattr(value, 'id') else value
    values['enabled_steps'] = list(ticket.enabled_steps)
    shown = set()
    for button, states in Ticket._buttons.items():
        invisible = PYSONDecoder(values).decode(
            PYSONEncoder().encode(states.get('invisible', False)))
        if not invisible:
            shown.add(button)
    return shown
