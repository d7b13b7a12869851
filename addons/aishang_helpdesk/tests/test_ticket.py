# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"The life cycle of tickets, switched-off steps, refusals and access"
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
# Absolute: pytest also imports the tests under the bare package name
from trytond.modules.aishang_helpdesk import workflow
from trytond.modules.aishang_helpdesk.exceptions import (
    TicketActionError, TicketStepDisabledError, TicketTransitionError)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import (
    HOUR, HelpdeskTestCase, as_user, at, create_user, moves, report,
    setup_helpdesk, shown_buttons)

T0 = dt.datetime(2026, 3, 2, 1, 0)  # 09:00 in Shanghai


class WorkflowTableTestCase(unittest.TestCase):
    "The declared transition table, without a database"

    def test_skipped(self):
        all_on = set(workflow.OPTIONAL_STEPS)
        for state, enabled, expected in [
                ('pending', all_on, []),
                ('pending', all_on - {'accept'},
                    [('accept', 'pending', 'accepted')]),
                ('accepted', all_on - {'dispatch'}, [
                        ('dispatch', 'accepted', 'dispatched'),
                        ('take', 'dispatched', 'taken')]),
                ('reopened', {'complete'}, [
                        ('dispatch', 'reopened', 'dispatched'),
                        ('take', 'dispatched', 'taken'),
                        ('start', 'taken', 'processing')]),
                ('done', {'accept'}, [
                        ('close', 'done', 'closed'),
                        ('callback', 'closed', 'visited')]),
                ('visited', set(), []),
                ('cancelled', set(), []),
                ]:
            with self.subTest(state=state, enabled=enabled):
                self.assertEqual(
                    workflow.skipped(state, enabled), expected)

    def test_table(self):
        states = {s for s, _ in workflow.STATES}
        self.assertLessEqual(
            {s for pair in workflow.transitions() for s in pair}, states)
        self.assertEqual(workflow.target('close', 'pending'), None)
        self.assertEqual(workflow.target('cancel', 'done'), 'cancelled')
        self.assertEqual(workflow.target('reopen', 'cancelled'), None)
        for state, step in workflow.NEXT_STEP.items():
            self.assertIsNotNone(workflow.target(step, state))


class HelpdeskTicketTestCase(HelpdeskTestCase):
    "Tickets from report to call back"

    @with_transaction()
    def test_life_cycle(self):
        "A repair goes through every step; who/when of each is kept"
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        Assignment = pool.get('helpdesk.ticket.assignment')
        Workload = pool.get('helpdesk.technician.workload')
        Attachment = pool.get('ir.attachment')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            zhang, li = fixture['zhang'], fixture['li']
            with at(T0):
                ticket = report(fixture)
            self.assertRegex(ticket.number, r'^GD-\d{6}$')
            self.assertEqual(ticket.state, 'pending')
            self.assertEqual(ticket.team, fixture['team'])
            self.assertEqual(ticket.urgency, 'normal')
            self.assertEqual(ticket.reported, T0)
            self.assertEqual(ticket.reported_date, dt.date(2026, 3, 2))
            self.assertEqual(ticket.response_deadline, T0 + HOUR)
            self.assertEqual(ticket.resolution_deadline, T0 + 24 * HOUR)
            Ticket.add_photos([ticket], [{'name': 'leak.jpg',
                        'data': b'jpeg'}])

            # Refused: a step that does not start from pending
            with self.assertRaises(TicketTransitionError) as cm:
                Ticket.close([ticket])
            self.assertIn(ticket.number, cm.exception.message)
            self.assertIn('Pending', cm.exception.message)
            self.assertIn('Closed', cm.exception.message)
            with self.assertRaises(TicketTransitionError):
                Ticket.dispatch([ticket], zhang)

            with at(T0 + dt.timedelta(minutes=25)):
                Ticket.accept([ticket])
            self.assertEqual(ticket.state, 'accepted')
            self.assertEqual(ticket.response_minutes, 25)
            self.assertEqual(len(ticket.report_photos), 1)

            with at(T0 + dt.timedelta(minutes=30)):
                Ticket.dispatch([ticket], zhang.id, "带上扳手")
            self.assertEqual(ticket.state, 'dispatched')
            self.assertEqual(ticket.technician, zhang)
            workload = {w.employee: w.open_count for w in Workload.search(
                    [('team', '=', fixture['team'].id)])}
            self.assertEqual(workload, {zhang: 1, li: 0})

            # The technician declines: the ticket goes back to dispatch
            with self.assertRaises(TicketActionError):
                Ticket.decline([ticket], " ")
            Ticket.decline([ticket], "今天休假")
            self.assertEqual(ticket.state, 'accepted')
            self.assertIsNone(ticket.technician)
            assignment, = Assignment.search([('ticket', '=', ticket.id)])
            self.assertEqual(
                (assignment.state, assignment.reason), ('declined', "今天休假"))

            # Dispatched again, then reassigned before it is started
            Ticket.dispatch([ticket], zhang)
            Ticket.dispatch([ticket], li, "张师傅另有急修")
            self.assertEqual(
                (ticket.state, ticket.technician), ('dispatched', li))
            self.assertEqual(
                [(a.technician, a.state) for a in ticket.assignments],
                [(zhang, 'declined'), (zhang, 'replaced'), (li, 'assigned')])

            visit = dt.datetime(2026, 3, 2, 6, 0)
            with self.assertRaises(TicketActionError):
                Ticket.confirm_appointment([ticket])
            Ticket.propose_appointment([ticket], visit, "下午两点")
            self.assertEqual(
                (ticket.appointment, ticket.appointment_state,
                    ticket.appointment_by),
                (visit, 'proposed', 'service'))
            Ticket.confirm_appointment([ticket])
            self.assertEqual(ticket.appointment_state, 'confirmed')

            Ticket.take([ticket])
            self.assertEqual(ticket.assignments[-1].state, 'taken')
            Ticket.start([ticket])
            ticket.lines = [
                {'kind': 'labour', 'description': "更换角阀",
                    'quantity': Decimal(1), 'unit_price': Decimal(30)},
                {'kind': 'material', 'description': "角阀 DN15",
                    'quantity': Decimal(2), 'unit': "个",
                    'unit_price': Decimal('12.5')},
                ]
            ticket.save()
            Ticket.post_message([ticket], "已到现场")
            Ticket.add_photos([ticket], [{'name': 'fixed.jpg',
                        'data': b'jpeg'}])
            with at(T0 + 5 * HOUR):
                Ticket.complete([ticket], "更换角阀两个")
            self.assertEqual(ticket.state, 'done')
            self.assertEqual(ticket.completed, T0 + 5 * HOUR)
            self.assertEqual(ticket.resolution_minutes, 300)
            self.assertEqual(ticket.result, "更换角阀两个")
            self.assertEqual(len(ticket.completion_photos), 1)
            self.assertEqual(len(ticket.report_photos), 1)
            self.assertEqual(
                [l.amount for l in ticket.lines], [30, 25])
            self.assertEqual(Attachment.search_count([
                        ('resource', '=', str(ticket))]), 2)
            self.assertEqual(ticket.messages[0].author_kind, 'service')

            # The lines freeze once the work is done
            with self.assertRaises(UserError):
                ticket.lines[0].quantity = 2
                ticket.lines[0].save()

            Ticket.close([ticket])
            Ticket.callback([ticket], 5, "师傅很专业")
            self.assertEqual(ticket.state, 'visited')
            self.assertEqual(ticket.rating, 5)
            self.assertEqual(moves(ticket), [
                    ('report', None, 'pending', False),
                    ('accept', 'pending', 'accepted', False),
                    ('dispatch', 'accepted', 'dispatched', False),
                    ('decline', 'dispatched', 'accepted', False),
                    ('dispatch', 'accepted', 'dispatched', False),
                    ('reassign', 'dispatched', 'dispatched', False),
                    ('appointment', 'dispatched', 'dispatched', False),
                    ('appointment_confirm', 'dispatched', 'dispatched',
                        False),
                    ('take', 'dispatched', 'taken', False),
                    ('start', 'taken', 'processing', False),
                    ('complete', 'processing', 'done', False),
                    ('close', 'done', 'closed', False),
                    ('callback', 'closed', 'visited', False),
                    ])
            log, = [l for l in ticket.logs if l.reason == "带上扳手"]
            self.assertEqual((log.step, log.user.login, log.date),
                ('dispatch', 'admin', T0 + dt.timedelta(minutes=30)))
            self.assertEqual(Ticket.steps([ticket]), {ticket.id: ['reopen']})

            # Refused after the call back: no cancel, no second call back
            with self.assertRaises(TicketTransitionError):
                Ticket.cancel([ticket], "重复")
            with self.assertRaises(TicketTransitionError):
                Ticket.callback([ticket], 4)

    @with_transaction()
    def test_low_rating_cancel_overdue(self):
        "A low rating reopens; cancel needs a reason; overdue is searched"
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            with at(T0):
                first = report(fixture)
                second = report(fixture, "电梯困人", category='DT')
                third = report(fixture, "楼道灯不亮", category=None,
                    area='public', place="2号楼3层")
            self.assertEqual(second.urgency, 'critical')
            self.assertEqual(third.response_deadline, None)

            with at(T0 + 2 * HOUR):
                self.assertEqual(Ticket.search([('overdue', '=', True)]),
                    [second, first])
                self.assertEqual(
                    Ticket.search([('overdue', '=', False)]), [third])
                self.assertTrue(Ticket(first.id).overdue)
                self.assertFalse(Ticket(third.id).overdue)
                Ticket.cron_overdue()
            self.assertTrue(first.overdue_notified)

            with self.assertRaises(TicketActionError) as cm:
                Ticket.accept([third])
            self.assertIn(third.number, cm.exception.message)
            with self.assertRaises(TicketActionError):
                Ticket.cancel([third], "")
            Ticket.cancel([third], "重复报修")
            self.assertEqual(third.state, 'cancelled')
            with self.assertRaises(TicketTransitionError):
                Ticket.reopen([third], "误取消")

            Ticket.accept([first])
            Ticket.dispatch([first], fixture['zhang'])
            Ticket.take([first])
            Ticket.start([first])
            Ticket.complete([first])
            Ticket.close([first])
            with self.assertRaises(TicketActionError):
                Ticket.callback([first], 6)
            Ticket.callback([first], 2, "还在滴水")
            self.assertEqual(first.state, 'reopened')
            self.assertEqual(first.reopen_count, 1)
            self.assertIsNone(first.completed)
            self.assertEqual(moves(first)[-2:], [
                    ('callback', 'closed', 'visited', False),
                    ('reopen', 'visited', 'reopened', True),
                    ])
            self.assertIn('2', first.logs[-1].reason)
            # Dispatched again to the same technician by default
            Ticket.dispatch([first], fixture['zhang'])
            self.assertEqual(first.state, 'dispatched')

    @with_transaction()
    def test_disabled_steps(self):
        "Steps switched off for a kind are passed; calling them is refused"
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        Setting = pool.get('helpdesk.kind.setting')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            Setting.create([{
                        'company': company.id, 'kind': 'suggestion',
                        'step_dispatch': False, 'step_start': False,
                        'step_callback': False,
                        }, {
                        'company': company.id, 'kind': 'inquiry',
                        'step_accept': False, 'step_dispatch': False,
                        'step_start': False, 'step_complete': False,
                        }])
            suggestion = report(fixture, "增加垃圾分类指引",
                category='JY', area='public')
            inquiry = report(fixture, "物业费标准咨询", category='ZX',
                area='public')
            self.assertEqual(suggestion.state, 'pending')
            # accept off: the inquiry is accepted when reported, and with
            # dispatch, take, start and complete off it waits to be closed
            self.assertEqual(inquiry.state, 'done')
            self.assertIsNone(inquiry.responded)

            Ticket.accept([suggestion])
            self.assertEqual(suggestion.state, 'processing')
            self.assertEqual(Ticket.steps([suggestion]),
                {suggestion.id: ['complete', 'cancel']})
            with self.assertRaises(TicketStepDisabledError) as cm:
                Ticket.dispatch([suggestion], fixture['zhang'])
            self.assertIn(suggestion.number, cm.exception.message)
            self.assertEqual(
                set(suggestion.enabled_steps), {'accept', 'complete', 'close'})
            self.assertEqual(shown_buttons(suggestion),
                {'complete', 'cancel_wizard'})
            Ticket.complete([suggestion], "已采纳")
            self.assertEqual(suggestion.state, 'done')
            Ticket.close([suggestion])
            self.assertEqual(suggestion.state, 'visited')
            self.assertEqual(moves(suggestion), [
                    ('report', None, 'pending', False),
                    ('accept', 'pending', 'accepted', False),
                    ('dispatch', 'accepted', 'dispatched', True),
                    ('take', 'dispatched', 'taken', True),
                    ('start', 'taken', 'processing', True),
                    ('complete', 'processing', 'done', False),
                    ('close', 'done', 'closed', False),
                    ('callback', 'closed', 'visited', True),
                    ])
            self.assertEqual(shown_buttons(inquiry),
                {'close', 'cancel_wizard', 'reopen_wizard'})
            Ticket.close([inquiry])
            self.assertEqual(inquiry.state, 'closed')
            # The repairs of the company keep every step
            repair = report(fixture)
            self.assertEqual(repair.state, 'pending')

    @with_transaction()
    def test_access(self):
        "Technicians see and act on their own tickets; service on all"
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            project, other = fixture['project'], fixture['other']
            zhang, li = fixture['zhang'], fixture['li']
            tech = create_user(company, 'tech',
                ['aishang_helpdesk.group_helpdesk_technician'],
                [project, other], employee=zhang)
            service = create_user(company, 'service',
                ['aishang_helpdesk.group_helpdesk_service'], [project])
            mine, theirs, elsewhere = (report(fixture, title)
                for title in ["A", "B", "C"])
            Ticket.write([elsewhere], {'project': other.id, 'resource': None,
                    'area': 'public'})
            Ticket.accept([mine, theirs, elsewhere])
            Ticket.dispatch([mine], zhang)
            Ticket.dispatch([theirs], li)

            self.assertEqual(shown_buttons(mine), {'dispatch_wizard',
                    'take', 'decline_wizard', 'appointment_wizard',
                    'cancel_wizard'})
            with as_user(tech):
                self.assertEqual(Ticket.search([]), [mine])
                self.assertEqual(Ticket.steps([Ticket(mine.id)]),
                    {mine.id: ['decline', 'take', 'appointment']})
                Ticket.take([mine])
                Ticket.propose_appointment(
                    [mine], dt.datetime(2026, 3, 3, 2, 0))
                Ticket.post_message([mine], "明天上午十点可以吗？")
                with self.assertRaises(AccessError):
                    Ticket.read([theirs.id], ['state'])
                with self.assertRaises(AccessError):
                    Ticket.take([Ticket(theirs.id)])
                with self.assertRaises(AccessButtonError):
                    Ticket.close([mine])
                with self.assertRaises(AccessError):
                    Ticket.create([{'project': project.id, 'title': "X",
                                'area': 'public'}])
            self.assertEqual(mine.state, 'taken')
            self.assertEqual(mine.appointment_by, 'technician')
            self.assertEqual(mine.messages[0].author_kind, 'technician')

            with as_user(service):
                self.assertEqual(
                    Ticket.search([], order=[('id', 'ASC')]),
                    [mine, theirs])
                ticket = Ticket.report({'project': project.id,
                        'kind': 'complaint', 'area': 'public',
                        'category': fixture['categories']['TD'].id,
                        'title': "保安态度差", 'source': 'phone'})
                Ticket.accept([ticket])
                # Over RPC too the refusal names the states
                with self.assertRaises(TicketTransitionError) as cm:
                    Ticket.close([ticket])
                self.assertIn('Accepted', cm.exception.message)
                with self.assertRaises(AccessError):
                    Ticket.delete([ticket])
                # The state and what the steps record are theirs alone
                with self.assertRaises(AccessError):
                    Ticket.write([ticket], {'state': 'closed'})
                forged, = Ticket.create([{'project': project.id,
                            'kind': 'inquiry', 'area': 'public',
                            'title': "Y", 'state': 'visited', 'rating': 5}])
                self.assertEqual((forged.state, forged.rating),
                    ('pending', None))
            self.assertEqual(ticket.state, 'accepted')

    @with_transaction()
    def test_wizards(self):
        "The Sao dialogs call the steps with what they ask for"
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            ticket = report(fixture)
            Ticket.accept([ticket])

            def run(name, state, data, button):
                Wizard = pool.get(f'helpdesk.ticket.{name}', type='wizard')
                session_id, start, _ = Wizard.create()
                with Transaction().set_context(active_model=Ticket.__name__,
                        active_id=ticket.id, active_ids=[ticket.id]):
                    defaults = Wizard.execute(
                        session_id, {}, start)['view']['defaults']
                    Wizard.execute(session_id, {state: data}, button)
                Wizard.delete(session_id)
                return defaults

            defaults = run('dispatch', 'start', {}, 'start')
            self.assertEqual(defaults['team'], fixture['team'].id)
            workloads = pool.get('helpdesk.technician.workload').browse(
                defaults['workloads'])
            li, = [w for w in workloads if w.employee == fixture['li']]
            # Sao asks for the changes when the team changes: the list of
            # workloads must be among the fields the change reads
            # (the values it sends are those the change depends on, of a
            # record with id -1, as Sao does)
            Start = pool.get('helpdesk.ticket.dispatch.start')
            sent = {'company': company.id, 'team': fixture['team'].id,
                'technician': li.id, 'workloads': [], 'note': None}
            start = Start(id=-1, **{k: v for k, v in sent.items()
                    if k in Start.on_change_team.depends})
            start.on_change(['team'])
            changes = start._changed_values()
            self.assertEqual({i for _, rows in changes['workloads']['add']
                    for i in [rows['id']]}, {w.id for w in workloads})
            run('dispatch', 'start', {'team': fixture['team'].id,
                    'technician': li.id, 'note': "急"}, 'dispatch')
            self.assertEqual((ticket.state, ticket.technician),
                ('dispatched', fixture['li']))
            run('appointment', 'start', {
                    'appointment': dt.datetime(2026, 3, 3, 2, 0),
                    'confirmed': True}, 'apply')
            self.assertEqual(ticket.appointment_state, 'confirmed')
            run('decline', 'start', {'reason': "不在班"}, 'apply')
            self.assertEqual(ticket.state, 'accepted')
            Ticket.dispatch([ticket], fixture['zhang'])
            for step in ['take', 'start', 'complete', 'close']:
                getattr(Ticket, step)([ticket])
            run('callback', 'start', {'rating': '4', 'comment': "好"},
                'apply')
            self.assertEqual((ticket.state, ticket.rating), ('visited', 4))
            run('reopen', 'start', {'reason': "又漏了"}, 'apply')
            run('cancel', 'start', {'reason': "业主自修"}, 'apply')
            self.assertEqual(ticket.state, 'cancelled')
