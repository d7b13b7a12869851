# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Behaviour of reviews against the test-only targets of tests/target.py.

Requests are submitted by the user "clerk" and decided by other users,
switched with Transaction().set_user() as the dispatcher would.
"""
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    TestCase, activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

# Absolute imports: pytest also imports this file as aishang_review.tests,
# which would give exception classes other than those the pool raises.
from trytond.modules.aishang_review.exceptions import (
    DecisionCommentError, PolicyValidationError, RequestPendingError,
    RequestStateError, RequestSubmitError, ReviewerError)
from trytond.modules.aishang_review.tests.target import ApplyFailed
from trytond.modules.aishang_review.tests.tools import (
    create_policy, create_user)

D = Decimal
TODAY = dt.date(2024, 3, 1)


@contextmanager
def rolled_back_on_error():
    """Undo the block's writes when it raises, as the dispatcher rolls back
    the transaction of a failed call"""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute('SAVEPOINT review_test')
    try:
        yield
    except Exception:
        cursor.execute('ROLLBACK TO SAVEPOINT review_test')
        for cache in transaction.cache.values():
            cache.clear()
        raise


class ReviewTestCase(TestCase):
    "Multi-level review of changes"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['aishang_review'])
        cls.addClassCleanup(drop_db)

    def setup_company(self):
        "A company, its clerk and four reviewers, two by group"
        pool = Pool()
        Group = pool.get('res.group')
        company = create_company()
        self.company = company
        self.clerk = create_user(company, 'clerk', ['group_review'])
        self.lead = create_user(company, 'lead', ['group_review'])
        self.manager = create_user(company, 'manager', ['group_review'])
        self.director = create_user(company, 'director', ['group_review'])
        self.outsider = create_user(company, 'outsider', ['group_review'])
        self.finance, = Group.create([{'name': "Finance"}])
        self.cfo = create_user(company, 'cfo', ['group_review'])
        Group.write([self.finance], {'users': [('add', [self.cfo.id])]})
        return company

    def target(self, name='ZD10000001', amount='500.00', model=None,
            **values):
        Target = Pool().get(model or 'review.test.target')
        if 'company' in Target._fields:
            values.setdefault('company', self.company.id)
        if 'amount' in Target._fields:
            values.setdefault('amount', D(amount))
        target, = Target.create([{'name': name, **values}])
        return target

    def submit(self, target, amount='500.00', operation='bill_waiver',
            user=None, **kwargs):
        Request = Pool().get('review.request')
        kwargs.setdefault('values', {
                'amount': D(amount) - D('100.00'), 'due_date': TODAY})
        with Transaction().set_user((user or self.clerk).id):
            return Request.submit(
                operation, target, D(amount), "业主长期出差",
                **kwargs)

    def decide(self, user, request, decision='approve', comment=None):
        Request = Pool().get('review.request')
        with Transaction().set_user(user.id):
            if decision == 'approve':
                Request.approve([request], comment)
            else:
                Request.reject([request], comment)
        return Request(request.id)

    def three_levels(self):
        return create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], []),
                ("经理", '100', [self.manager], []),
                ("财务", '1000', [], [self.finance]),
                ])

    @with_transaction()
    def test_no_policy_applies_at_once(self):
        "Without a policy the request is approved and applied at once"
        pool = Pool()
        Target = pool.get('review.test.target')
        self.setup_company()
        target = self.target()

        request = self.submit(target, changes=[
                ("金额", D('500.00'), D('400.00')),
                ("到期日", None, TODAY)])

        self.assertEqual(request.state, 'approved')
        self.assertIsNotNone(request.applied_date)
        self.assertEqual(
            (request.levels_required, request.current_level), (0, 0))
        self.assertEqual(request.decisions, ())
        self.assertEqual(request.requester, self.clerk)
        self.assertEqual(request.company, self.company)
        self.assertEqual(
            request.values, {'amount': '400.00', 'due_date': '2024-03-01'})
        self.assertEqual(
            [(c.label, c.before, c.after) for c in request.changes],
            [("金额", '500.00', '400.00'), ("到期日", None, '2024-03-01')])
        self.assertEqual(request.description, "Bill Waiver: ZD10000001")
        target = Target(target.id)
        self.assertEqual(target.amount, D('400.00'))
        self.assertEqual(target.due_date, TODAY)
        self.assertEqual(target.applied_request, request)
        self.assertEqual(target.applied_state, 'approved')

    @with_transaction()
    def test_no_level_applies(self):
        "A policy whose levels are all above the amount approves at once"
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("经理", '1000', [self.manager], [])])
        request = self.submit(self.target(), amount='999.99')
        self.assertEqual(request.state, 'approved')
        self.assertEqual(request.policy.name, 'bill_waiver')

    @with_transaction()
    def test_one_level(self):
        "One approval applies the change, out of the reviewer's access"
        pool = Pool()
        Target = pool.get('review.test.target')
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], [])])
        target = self.target()

        request = self.submit(target)
        self.assertEqual(request.state, 'pending')
        self.assertEqual(
            (request.current_level, request.levels_required), (1, 1))
        self.assertIsNone(Target(target.id).applied_request)

        with Transaction().set_context(_check_access=True):
            request = self.decide(self.lead, request, comment="同意")

        self.assertEqual(request.state, 'approved')
        self.assertIsNotNone(request.applied_date)
        decision, = request.decisions
        self.assertEqual(
            (decision.level, decision.level_name, decision.user,
                decision.decision, decision.comment),
            (1, "主管", self.lead, 'approve', "同意"))
        target = Target(target.id)
        self.assertEqual(target.amount, D('400.00'))
        self.assertEqual(target.applied_state, 'approved')
        self.assertFalse(target.applied_check_access)

    @with_transaction()
    def test_levels_by_amount(self):
        "Thresholds are strict: 100 needs one level, 100.01 two"
        self.setup_company()
        self.three_levels()
        for i, (amount, names) in enumerate([
                    ('0.00', ["主管"]),
                    ('99.00', ["主管"]),
                    ('100.00', ["主管"]),
                    ('100.01', ["主管", "经理"]),
                    ('1000.00', ["主管", "经理"]),
                    ('1000.01', ["主管", "经理", "财务"]),
                    ]):
            with self.subTest(amount=amount):
                request = self.submit(
                    self.target(f'ZD{i}', amount), amount=amount)
                self.assertEqual(request.state, 'pending')
                self.assertEqual(request.levels_required, len(names))
                self.assertEqual(
                    [(s.number, s.name) for s in request.levels],
                    list(enumerate(names, 1)))

    @with_transaction()
    def test_three_levels_three_people(self):
        "Each level advances the request; the last one applies it"
        Target = Pool().get('review.test.target')
        self.setup_company()
        self.three_levels()
        target = self.target(amount='2000.00')
        request = self.submit(target, amount='2000.00')

        request = self.decide(self.lead, request)
        self.assertEqual((request.state, request.current_level), (
                'pending', 2))
        request = self.decide(self.manager, request)
        self.assertEqual((request.state, request.current_level), (
                'pending', 3))
        self.assertIsNone(Target(target.id).applied_request)
        request = self.decide(self.cfo, request)

        self.assertEqual(request.state, 'approved')
        self.assertEqual(
            [(d.level, d.user) for d in request.decisions],
            [(1, self.lead), (2, self.manager), (3, self.cfo)])
        self.assertEqual(Target(target.id).amount, D('1900.00'))

    @with_transaction()
    def test_requester_cannot_decide(self):
        "The requester may not decide, even when listed on the level"
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.clerk, self.lead], [])])
        request = self.submit(self.target())
        with self.assertRaises(ReviewerError):
            self.decide(self.clerk, request)
        with self.assertRaises(ReviewerError):
            self.decide(self.clerk, request, 'reject', "不同意")
        self.assertEqual(self.decide(self.lead, request).state, 'approved')

    @with_transaction()
    def test_same_user_cannot_decide_two_levels(self):
        "Two levels need two people"
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], []),
                ("经理", None, [self.lead, self.manager], []),
                ])
        request = self.decide(self.lead, self.submit(self.target()))
        self.assertEqual(request.current_level, 2)
        with self.assertRaises(ReviewerError):
            self.decide(self.lead, request)
        with self.assertRaises(ReviewerError):
            self.decide(self.lead, request, 'reject', "不同意")
        self.assertEqual(
            self.decide(self.manager, request).state, 'approved')

    @with_transaction()
    def test_non_reviewer_refused(self):
        "Only the users and group members of the level may decide"
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("财务", None, [], [self.finance])])
        request = self.submit(self.target())
        for user in [self.outsider, self.lead]:
            with self.subTest(user=user.login):
                with self.assertRaises(ReviewerError):
                    self.decide(user, request)
        self.assertEqual(self.decide(self.cfo, request).state, 'approved')

    @with_transaction()
    def test_reject_at_level_two(self):
        "A rejection leaves the target untouched and calls its hook"
        Target = Pool().get('review.test.target')
        self.setup_company()
        self.three_levels()
        target = self.target(amount='500.00')
        request = self.decide(self.lead, self.submit(target))

        with self.assertRaises(DecisionCommentError):
            self.decide(self.manager, request, 'reject', "  ")
        request = self.decide(self.manager, request, 'reject', "理由不足")

        self.assertEqual(request.state, 'rejected')
        self.assertIsNone(request.applied_date)
        self.assertEqual(
            [(d.level, d.decision) for d in request.decisions],
            [(1, 'approve'), (2, 'reject')])
        target = Target(target.id)
        self.assertEqual(target.amount, D('500.00'))
        self.assertIsNone(target.applied_request)
        self.assertEqual(target.rejected_request, request)
        self.assertIsNone(target.cancelled_request)

    @with_transaction()
    def test_second_pending_refused(self):
        "One pending request per target and operation"
        Request = Pool().get('review.request')
        self.setup_company()
        self.three_levels()
        create_policy(self.company, 'bill_void', [
                ("主管", None, [self.lead], [])])
        target = self.target()
        first = self.submit(target)

        with self.assertRaises(RequestPendingError):
            self.submit(target)
        other = self.submit(target, operation='bill_void')
        self.assertEqual(Request.pending(target), [other, first])
        self.assertEqual(Request.pending(target, 'bill_waiver'), [first])

        # The database refuses a duplicate that slips past submit
        with self.assertRaises(ValidationError), rolled_back_on_error():
            Request.create([{
                        'company': self.company.id,
                        'operation': 'bill_waiver',
                        'target': str(target),
                        'reason': "并发提交",
                        }])

        with Transaction().set_user(self.clerk.id):
            Request.cancel([first])
        self.assertEqual(self.submit(target).state, 'pending')

    @with_transaction()
    def test_decide_closed_request_refused(self):
        "Approved, rejected and cancelled requests cannot be decided"
        Request = Pool().get('review.request')
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], []),
                ("经理", None, [self.manager], []),
                ])
        approved = self.submit(self.target('A'))
        approved = self.decide(self.manager, self.decide(self.lead, approved))
        rejected = self.decide(
            self.lead, self.submit(self.target('B')), 'reject', "不同意")
        cancelled = self.submit(self.target('C'))
        with Transaction().set_user(self.clerk.id):
            Request.cancel([cancelled])

        for request in [approved, rejected, Request(cancelled.id)]:
            with self.subTest(state=request.state):
                with self.assertRaises(RequestStateError):
                    self.decide(self.manager, request)
                with self.assertRaises(RequestStateError):
                    self.decide(self.manager, request, 'reject', "晚了")
                with self.assertRaises(RequestStateError):
                    with Transaction().set_user(self.clerk.id):
                        Request.cancel([request])

    @with_transaction()
    def test_worklist(self):
        "can_review finds exactly what each user may decide now"
        Request = Pool().get('review.request')
        self.setup_company()
        self.three_levels()
        create_policy(self.company, 'bill_void', [
                ("主管", None, [self.lead, self.manager], []),
                ("经理", None, [self.lead, self.manager], []),
                ])
        small = self.submit(self.target('S', '50.00'), amount='50.00')
        both = self.decide(
            self.lead, self.submit(self.target('V'), operation='bill_void'))
        at_two = self.submit(self.target('T', '500.00'), amount='500.00')
        at_two = self.decide(self.lead, at_two)
        at_three = self.submit(self.target('H', '5000.00'), amount='5000.00')
        at_three = self.decide(self.manager, self.decide(self.lead, at_three))
        by_lead = self.submit(
            self.target('L', '50.00'), amount='50.00', user=self.lead)
        done = self.decide(
            self.lead, self.submit(self.target('D', '50.00'), amount='50.00'))
        self.assertEqual(done.state, 'approved')
        # Its only reviewer submitted it: nobody may decide it.
        self.assertEqual(by_lead.state, 'pending')

        expected = {
            self.lead: {small},
            self.manager: {at_two, both},
            self.cfo: {at_three},
            self.clerk: set(),
            self.director: set(),
            }
        everything = set(Request.search([]))
        for user, requests in expected.items():
            with self.subTest(user=user.login):
                with Transaction().set_user(user.id), \
                        Transaction().set_context(_check_access=True):
                    self.assertEqual(
                        set(Request.search([('can_review', '=', True)])),
                        requests)
                    self.assertEqual(
                        set(Request.search([('can_review', '!=', True)])),
                        everything - requests)
                    self.assertEqual(
                        {r for r in Request.browse(list(everything))
                            if r.can_review},
                        requests)

    @with_transaction()
    def test_apply_failure_rolls_back(self):
        "If review_apply raises, the approval fails and nothing is kept"
        Target = Pool().get('review.test.target')
        Request = Pool().get('review.request')
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], [])])
        target = self.target(fail_apply=True)
        request = self.submit(target)

        with self.assertRaises(ApplyFailed):
            with rolled_back_on_error():
                self.decide(self.lead, request)

        request = Request(request.id)
        self.assertEqual(request.state, 'pending')
        self.assertEqual(request.current_level, 1)
        self.assertIsNone(request.applied_date)
        self.assertEqual(request.decisions, ())
        self.assertEqual(Target(target.id).amount, D('500.00'))

        Target.write([target], {'fail_apply': False})
        self.assertEqual(self.decide(self.lead, request).state, 'approved')

    @with_transaction()
    def test_cancel(self):
        "The requester or a review admin cancels; the hook is called"
        pool = Pool()
        Request = pool.get('review.request')
        Target = pool.get('review.test.target')
        self.setup_company()
        self.three_levels()
        admin = create_user(self.company, 'boss', ['group_review_admin'])
        first, second = self.target('A'), self.target('B')
        requests = [self.submit(first), self.submit(second)]

        with self.assertRaises(ReviewerError):
            with Transaction().set_user(self.lead.id):
                Request.cancel(requests[:1])
        with Transaction().set_user(self.clerk.id):
            Request.cancel(requests[:1])
        with Transaction().set_user(admin.id):
            Request.cancel(requests[1:])

        for target, request in zip([first, second], requests):
            self.assertEqual(Request(request.id).state, 'cancelled')
            target = Target(target.id)
            self.assertEqual(target.cancelled_request, request)
            self.assertIsNone(target.applied_request)

    @with_transaction()
    def test_hooks_are_optional(self):
        "A target without review_rejected nor review_cancelled works"
        pool = Pool()
        Request = pool.get('review.request')
        Plain = pool.get('review.test.target.plain')
        self.setup_company()
        create_policy(self.company, 'refund', [
                ("主管", None, [self.lead], [])])
        plain = {
            'operation': 'refund', 'values': None, 'company': self.company}
        rejected = self.submit(
            self.target('P1', model='review.test.target.plain'), **plain)
        cancelled = self.submit(
            self.target('P2', model='review.test.target.plain'), **plain)
        approved_target = self.target('P3', model='review.test.target.plain')
        approved = self.submit(approved_target, **plain)

        self.decide(self.lead, rejected, 'reject', "不同意")
        with Transaction().set_user(self.clerk.id):
            Request.cancel([cancelled])
        self.decide(self.lead, approved)

        self.assertEqual(
            [Request(r.id).state for r in [rejected, cancelled, approved]],
            ['rejected', 'cancelled', 'approved'])
        self.assertEqual(Request(approved.id).values, {})
        self.assertTrue(Plain(approved_target.id).applied)

    @with_transaction()
    def test_wizard(self):
        "The two buttons open the wizard as approve or reject"
        pool = Pool()
        Request = pool.get('review.request')
        Decide = pool.get('review.request.decide', type='wizard')
        ModelData = pool.get('ir.model.data')
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], [])])
        approved = self.submit(self.target('A'))
        rejected = self.submit(self.target('B'))

        for request, xml_id, comment in [
                (approved, 'wizard_decide_approve', None),
                (rejected, 'wizard_decide_reject', "金额有误"),
                ]:
            context = {
                'active_model': 'review.request',
                'active_id': request.id,
                'active_ids': [request.id],
                'action_id': ModelData.get_id('aishang_review', xml_id),
                }
            with Transaction().set_user(self.lead.id), \
                    Transaction().set_context(context):
                session_id, _, _ = Decide.create()
                result = Decide.execute(session_id, {}, 'start')
                start = result['view']['defaults']
                # What the client sends back for the read-only decision is
                # not trusted: Sao may send the other choice
                other = 'reject' if start['decision'] == 'approve' \
                    else 'approve'
                Decide.execute(session_id, {
                        'start': {
                            'decision': other,
                            'comment': comment,
                            },
                        }, 'decide')
                Decide.delete(session_id)
            with self.subTest(action=xml_id):
                self.assertEqual(
                    start['decision'], xml_id.rsplit('_', 1)[1])

        self.assertEqual(Request(approved.id).state, 'approved')
        request = Request(rejected.id)
        self.assertEqual(request.state, 'rejected')
        self.assertEqual(request.decisions[0].comment, "金额有误")

    @with_transaction()
    def test_access(self):
        "Reviewers read requests but change them only by deciding"
        Request = Pool().get('review.request')
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], [])])
        request = self.submit(self.target())
        with Transaction().set_user(self.lead.id), \
                Transaction().set_context(
                    _check_access=True, company=self.company.id):
            self.assertEqual(Request.search([]), [request])
            with self.assertRaises(AccessError):
                Request.write([request], {'amount': D('1.00')})
            with self.assertRaises(AccessError):
                Request.create([{
                            'operation': 'refund', 'reason': "x",
                            'target': str(request),
                            'company': self.company.id}])
            Request.approve([request])
        self.assertEqual(Request(request.id).state, 'approved')

    @with_transaction()
    def test_lock_before_deciding(self):
        "Deciding locks the requests first"
        Request = Pool().get('review.request')
        self.setup_company()
        create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], [])])
        request = self.submit(self.target())
        with patch.object(Request, 'lock', wraps=Request.lock) as lock:
            self.decide(self.lead, request)
        lock.assert_called_once_with([request])

    @with_transaction()
    def test_pending_request_keeps_its_levels(self):
        "Changing the policy does not change a pending request"
        Level = Pool().get('review.policy.level')
        self.setup_company()
        policy = create_policy(self.company, 'bill_waiver', [
                ("主管", None, [self.lead], [])])
        request = self.submit(self.target())
        Level.create([{
                    'policy': policy.id, 'sequence': 2, 'name': "经理",
                    'users': [('add', [self.manager.id])]}])
        self.assertEqual(self.decide(self.lead, request).state, 'approved')

    @with_transaction()
    def test_submit_refusals(self):
        "Unknown targets and missing companies are refused"
        pool = Pool()
        Request = pool.get('review.request')
        Company = pool.get('company.company')
        self.setup_company()
        with self.assertRaises(RequestSubmitError):
            Request.submit('refund', Company(self.company.id), D(1), "x")
        with self.assertRaises(RequestSubmitError):
            Request.submit('refund', self.target(company=None), D(1), "x")
        with set_company(self.company):
            request = Request.submit(
                'refund', self.target('X', company=None), D(1), "x")
        self.assertEqual(request.company, self.company)

    @with_transaction()
    def test_one_active_policy(self):
        "At most one active policy per company and operation"
        pool = Pool()
        Policy = pool.get('review.policy')
        self.setup_company()
        levels = [("主管", None, [self.lead], [])]
        first = create_policy(self.company, 'refund', levels)
        with self.assertRaises(PolicyValidationError), \
                rolled_back_on_error():
            create_policy(self.company, 'refund', levels, name="second")
        create_policy(self.company, 'deposit_refund', levels)
        Policy.write([first], {'active': False})
        create_policy(self.company, 'refund', levels, name="second")
        with self.assertRaises(PolicyValidationError), \
                rolled_back_on_error():
            Policy.write([first], {'active': True})

    @with_transaction()
    def test_level_needs_reviewer(self):
        "A level nobody may decide is refused"
        self.setup_company()
        with self.assertRaises(PolicyValidationError), \
                rolled_back_on_error():
            create_policy(self.company, 'refund', [("空", None, [], [])])
        self.assertEqual(Pool().get('review.policy').search([]), [])
