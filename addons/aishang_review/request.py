# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Review requests: a proposed change waiting for one decision per level.

The API the reviewed addons call (DESIGN.md tells the whole story)::

    Request = Pool().get('review.request')
    request = Request.submit(operation, target, amount, reason,
        changes=[(label, before, after), ...], values={...},
        company=None, description=None)
    Request.pending(target, operation=None)     # pending requests of target
    Request.approve(requests, comment=None)     # as the current user
    Request.reject(requests, comment)
    Request.cancel(requests)                    # requester or review admin

A target model lists its name in ``Request._get_targets()`` and implements
the classmethod ``review_apply(request)``; ``review_rejected(request)`` and
``review_cancelled(request)`` are optional. All three run without access
checks, as the review itself is what authorises the change.
"""
import datetime as dt

from sql import Literal
from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Exclude, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, without_check_access

from .exceptions import (
    DecisionCommentError, RequestPendingError, RequestStateError,
    RequestSubmitError, ReviewerError)
from .policy import OPERATIONS
from .values import dumps_values, loads_values

STATES = [
    ('pending', "Pending"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ('cancelled', "Cancelled"),
    ]
DECISIONS = [
    ('approve', "Approve"),
    ('reject', "Reject"),
    ]


def _text(value):
    if value is None or isinstance(value, str):
        return value
    return str(value)


class Request(Workflow, ModelSQL, ModelView):
    "Review Request"
    __name__ = 'review.request'
    _rec_name = 'description'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    operation = fields.Selection(
        OPERATIONS, "Operation", required=True, readonly=True)
    operation_string = operation.translated('operation')
    target = fields.Reference(
        "Target", selection='get_targets', required=True, readonly=True,
        help="The record that the change applies to.")
    description = fields.Char("Description", readonly=True)
    reason = fields.Text(
        "Reason", required=True, readonly=True,
        help="Why the requester asks for the change.")
    requester = fields.Many2One(
        'res.user', "Requester", required=True, readonly=True)
    request_date = fields.DateTime(
        "Request Date", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), readonly=True,
        help="The amount at stake; it selects the levels of the policy.")
    values_json = fields.Text(
        "Values", readonly=True,
        help="The parameters the target needs to apply the change, as JSON.")
    changes = fields.One2Many(
        'review.request.change', 'request', "Changes", readonly=True)
    policy = fields.Many2One(
        'review.policy', "Policy", readonly=True, ondelete='RESTRICT')
    levels = fields.One2Many(
        'review.request.level', 'request', "Levels", readonly=True,
        help="The levels of the policy that apply to the amount.")
    levels_required = fields.Integer(
        "Levels Required", required=True, readonly=True)
    current_level = fields.Integer(
        "Current Level", required=True, readonly=True,
        help="The number of the level waiting for a decision.")
    decisions = fields.One2Many(
        'review.request.decision', 'request', "Decisions", readonly=True)
    applied_date = fields.DateTime("Applied Date", readonly=True)
    can_review = fields.Function(
        fields.Boolean(
            "Can Review",
            help="Whether you may decide the current level now."),
        'get_can_review', searcher='search_can_review')
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            # Backs up the check of submit against concurrent submissions
            ('target_operation_pending_exclude',
                Exclude(t, (t.target, Equal), (t.operation, Equal),
                    where=t.state == Literal('pending')),
                'aishang_review.msg_request_pending_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality(cardinality='low')),
                where=t.state == Literal('pending')))
        cls._order = [('request_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('pending', 'approved'),
            ('pending', 'rejected'),
            ('pending', 'cancelled'),
            }
        cls._buttons.update({
                'decide_approve': {
                    'invisible': ~Eval('can_review', False),
                    'depends': ['can_review'],
                    },
                'decide_reject': {
                    'invisible': ~Eval('can_review', False),
                    'depends': ['can_review'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_requester():
        return Transaction().user

    @staticmethod
    def default_request_date():
        return dt.datetime.now()

    @staticmethod
    def default_levels_required():
        return 0

    @staticmethod
    def default_current_level():
        return 0

    @staticmethod
    def default_state():
        return 'pending'

    @classmethod
    def _get_targets(cls):
        'Return list of Model names for target Reference'
        return []

    @classmethod
    def get_targets(cls):
        IrModel = Pool().get('ir.model')
        get_name = IrModel.get_name
        return [(None, '')] + [(m, get_name(m)) for m in cls._get_targets()]

    def get_rec_name(self, name):
        return self.description or str(self.id)

    @property
    def values(self):
        "The parameters of the change; Decimal and dates are strings"
        return loads_values(self.values_json)

    @property
    def current_step(self):
        "The review.request.level waiting for a decision"
        for step in self.levels:
            if step.number == self.current_level:
                return step

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree/field[@name="state"]', 'visual',
                If(Eval('state') == 'pending', 'warning',
                    If(Eval('state') == 'approved', 'success',
                        If(Eval('state') == 'rejected', 'danger', '')))),
            ]

    @classmethod
    def _reviewable_query(cls, user_id, group_ids, ids=None):
        "Return the query of the ids of the requests user_id may decide now"
        pool = Pool()
        Step = pool.get('review.request.level')
        LevelUser = pool.get('review.policy.level-res.user')
        LevelGroup = pool.get('review.policy.level-res.group')
        Decision = pool.get('review.request.decision')
        request = cls.__table__()
        step = Step.__table__()
        level_user = LevelUser.__table__()
        level_group = LevelGroup.__table__()
        decision = Decision.__table__()

        reviewer = step.level.in_(level_user.select(
                level_user.level, where=level_user.user == user_id))
        if group_ids:
            reviewer |= step.level.in_(level_group.select(
                    level_group.level,
                    where=level_group.group.in_(list(group_ids))))
        # One person decides one level only: two levels, two people.
        decided = decision.select(
            decision.request, where=decision.user == user_id)
        where = ((request.state == 'pending')
            & (request.requester != user_id)
            & reviewer
            & ~request.id.in_(decided))
        if ids is not None:
            where &= reduce_ids(request.id, ids)
        return request.join(step, condition=(step.request == request.id)
            & (step.number == request.current_level)
            ).select(request.id, where=where)

    @classmethod
    def get_can_review(cls, requests, name):
        User = Pool().get('res.user')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        result = dict.fromkeys(map(int, requests), False)
        # Keep room for the user and group ids of the query.
        size = max(backend.MAX_QUERY_PARAMS - 100, 100)
        for sub_ids in grouped_slice(list(result), size):
            cursor.execute(*cls._reviewable_query(
                    transaction.user, User.get_groups(), ids=sub_ids))
            result.update((id_, True) for id_, in cursor)
        return result

    @classmethod
    def search_can_review(cls, name, clause):
        User = Pool().get('res.user')
        _, operator, value = clause[:3]
        query = cls._reviewable_query(Transaction().user, User.get_groups())
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in', query)]

    @classmethod
    def submit(cls, operation, target, amount, reason, changes=None,
            values=None, company=None, description=None):
        """Submit a change of target for review and return the request.

        changes is a list of (label, before, after) shown to the reviewers
        and values a dict of what review_apply needs (see dumps_values).
        The company defaults to the target's, then to the context's.
        Without an active policy for the operation, or when no level of
        the policy applies to amount, the request is approved and applied
        at once.
        """
        pool = Pool()
        Policy = pool.get('review.policy')
        Company = pool.get('company.company')
        IrModel = pool.get('ir.model')
        Step = pool.get('review.request.level')
        Change = pool.get('review.request.change')
        transaction = Transaction()

        # Requests are only written by this API and the buttons: the
        # caller's own access to the target authorises the submission.
        with without_check_access():
            if target.__name__ not in cls._get_targets():
                raise RequestSubmitError(gettext(
                        'aishang_review.msg_request_target',
                        model=IrModel.get_name(target.__name__)))
            if company is None:
                company = getattr(target, 'company', None)
            if company is None and transaction.context.get('company'):
                company = Company(transaction.context['company'])
            if company is None:
                raise RequestSubmitError(gettext(
                        'aishang_review.msg_request_company',
                        target=target.rec_name))
            for pending in cls.pending(target, operation):
                raise RequestPendingError(gettext(
                        'aishang_review.msg_request_pending',
                        target=target.rec_name, request=pending.rec_name))
            policy = Policy.get_active(company, operation)
            levels = policy.applicable_levels(amount) if policy else []
            request = cls(
                company=company, operation=operation, target=target,
                amount=amount, reason=reason, requester=transaction.user,
                request_date=dt.datetime.now(),
                values_json=dumps_values(values), policy=policy,
                levels_required=len(levels),
                current_level=1 if levels else 0,
                levels=[Step(number=n, level=l, name=l.name)
                    for n, l in enumerate(levels, 1)],
                changes=[
                    Change(label=label, before=_text(before),
                        after=_text(after))
                    for label, before, after in changes or []])
            request.description = description or gettext(
                'aishang_review.msg_request_description',
                operation=request.operation_string, target=target.rec_name)
            request.save()
            if not levels:
                cls._approve([request])
        if not levels:
            cls._apply([request])
        return cls(request.id)

    @classmethod
    def pending(cls, target, operation=None):
        "Return the pending requests of target, only of operation if given"
        domain = [
            ('target', '=', str(target)),
            ('state', '=', 'pending'),
            ]
        if operation:
            domain.append(('operation', '=', operation))
        with without_check_access():
            return cls.search(domain)

    @classmethod
    def approve(cls, requests, comment=None):
        """Approve the current level of requests as the current user.

        Approving the last level approves the request and then calls
        review_apply of its target; if that raises, the exception
        propagates and the caller's transaction rolls everything back.
        """
        cls._decide(requests, 'approve', comment)

    @classmethod
    def reject(cls, requests, comment):
        "Reject requests as the current user; the targets stay untouched"
        cls._decide(requests, 'reject', comment)

    @classmethod
    def _decide(cls, requests, decision, comment):
        pool = Pool()
        Decision = pool.get('review.request.decision')
        User = pool.get('res.user')
        user_id = Transaction().user
        # Two reviewers deciding at once must not both advance one level.
        # In 8.0 the lock restarts the transaction with the rows locked
        # first, so the requests are read again after it.
        cls.lock(requests)
        requests = cls.browse([r.id for r in requests])
        group_ids = User.get_groups()
        now = dt.datetime.now()
        decisions, advanced, approved, rejected = [], [], [], []
        with without_check_access():
            for request in requests:
                request.check_decide(decision, comment, user_id, group_ids)
                decisions.append(Decision(
                        request=request, level=request.current_level,
                        level_name=request.current_step.name, user=user_id,
                        date=now, decision=decision, comment=comment))
                if decision == 'reject':
                    rejected.append(request)
                elif request.current_level < request.levels_required:
                    request.current_level += 1
                    advanced.append(request)
                else:
                    approved.append(request)
            Decision.save(decisions)
            cls.save(advanced)
            cls._reject(rejected)
            cls._approve(approved)
        cls._notify(rejected, 'review_rejected')
        cls._apply(approved)

    def check_decide(self, decision, comment, user_id, group_ids):
        "Raise unless user_id with group_ids may take decision on self now"
        if self.state != 'pending':
            raise RequestStateError(gettext(
                    'aishang_review.msg_request_not_pending',
                    request=self.rec_name, state=self.state_string))
        if self.requester.id == user_id:
            raise ReviewerError(gettext(
                    'aishang_review.msg_request_own',
                    request=self.rec_name))
        for previous in self.decisions:
            if previous.user.id == user_id:
                raise ReviewerError(gettext(
                        'aishang_review.msg_request_decided_level',
                        request=self.rec_name, level=self.current_level,
                        decided=previous.level))
        step = self.current_step
        if not step.level.user_may_decide(user_id, group_ids):
            raise ReviewerError(gettext(
                    'aishang_review.msg_request_not_reviewer',
                    request=self.rec_name, level=step.rec_name))
        if decision == 'reject' and not (comment or '').strip():
            raise DecisionCommentError(gettext(
                    'aishang_review.msg_request_reject_comment',
                    request=self.rec_name))

    @classmethod
    @ModelView.button_action('aishang_review.wizard_decide_approve')
    def decide_approve(cls, requests):
        pass

    @classmethod
    @ModelView.button_action('aishang_review.wizard_decide_reject')
    def decide_reject(cls, requests):
        pass

    @classmethod
    @ModelView.button
    def cancel(cls, requests):
        "Cancel pending requests; only their requester or an admin may"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        user_id = Transaction().user
        cls.lock(requests)
        requests = cls.browse([r.id for r in requests])
        # A review administrator may cancel for a requester who is away:
        # a pending request blocks its target.
        admin = user_id == 0 or ModelData.get_id(
            'aishang_review', 'group_review_admin') in User.get_groups()
        for request in requests:
            if request.state != 'pending':
                raise RequestStateError(gettext(
                        'aishang_review.msg_request_cancel_state',
                        request=request.rec_name,
                        state=request.state_string))
            if request.requester.id != user_id and not admin:
                raise ReviewerError(gettext(
                        'aishang_review.msg_request_cancel_user',
                        request=request.rec_name))
        with without_check_access():
            cls._cancel(requests)
        cls._notify(requests, 'review_cancelled')

    @classmethod
    @Workflow.transition('approved')
    def _approve(cls, requests):
        if requests:
            cls.write(requests, {'applied_date': dt.datetime.now()})

    @classmethod
    @Workflow.transition('rejected')
    def _reject(cls, requests):
        pass

    @classmethod
    @Workflow.transition('cancelled')
    def _cancel(cls, requests):
        pass

    @classmethod
    def _apply(cls, requests):
        pool = Pool()
        for request in cls.browse([r.id for r in requests]):
            Target = pool.get(request.target.__name__)
            # The reviewer may lack write access to the target: the
            # approved review is the authorisation.
            with without_check_access():
                Target.review_apply(request)

    @classmethod
    def _notify(cls, requests, hook):
        pool = Pool()
        for request in cls.browse([r.id for r in requests]):
            Target = pool.get(request.target.__name__)
            if hasattr(Target, hook):
                with without_check_access():
                    getattr(Target, hook)(request)


class RequestLevel(ModelSQL, ModelView):
    "Review Request Level"
    __name__ = 'review.request.level'
    request = fields.Many2One(
        'review.request', "Request", required=True, ondelete='CASCADE')
    number = fields.Integer("Number", required=True)
    # A pending request keeps its levels even if the policy changes.
    level = fields.Many2One(
        'review.policy.level', "Policy Level", required=True,
        ondelete='RESTRICT')
    name = fields.Char("Name", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        cls._order = [('request', 'ASC'), ('number', 'ASC'), ('id', 'ASC')]


class RequestChange(ModelSQL, ModelView):
    "Review Request Change"
    __name__ = 'review.request.change'
    _rec_name = 'label'
    request = fields.Many2One(
        'review.request', "Request", required=True, ondelete='CASCADE')
    label = fields.Char("Label", required=True)
    before = fields.Char("Before")
    after = fields.Char("After")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        cls._order = [('request', 'ASC'), ('id', 'ASC')]


class RequestDecision(ModelSQL, ModelView):
    "Review Request Decision"
    __name__ = 'review.request.decision'
    _rec_name = 'level_name'
    request = fields.Many2One(
        'review.request', "Request", required=True, ondelete='CASCADE')
    level = fields.Integer("Level", required=True)
    level_name = fields.Char("Level Name")
    user = fields.Many2One('res.user', "Reviewer", required=True)
    date = fields.DateTime("Date", required=True)
    decision = fields.Selection(DECISIONS, "Decision", required=True)
    decision_string = decision.translated('decision')
    comment = fields.Text("Comment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        cls._order = [('request', 'ASC'), ('level', 'ASC'), ('id', 'ASC')]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree/field[@name="decision"]', 'visual',
                If(Eval('decision') == 'approve', 'success', 'danger')),
            ]
