# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Review policies: which levels review an operation, from which amount.

The operations below are the base ones. An addon adding an operation
appends it in the ``__setup__`` of both ``review.policy`` and
``review.request``: Tryton copies each field per model, so the two
selections do not share the list once the pool is set up.
"""
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.transaction import Transaction

from .exceptions import PolicyValidationError

OPERATIONS = [
    ('bill_waiver', "Bill Waiver"),
    ('bill_void', "Bill Void"),
    ('bill_amount', "Bill Amount Change"),
    ('receipt_void', "Receipt Void"),
    ('refund', "Refund"),
    ('prepayment_refund', "Prepayment Refund"),
    ('deposit_refund', "Deposit Refund"),
    ]


class Policy(DeactivableMixin, ModelSQL, ModelView):
    "Review Policy"
    __name__ = 'review.policy'
    company = fields.Many2One(
        'company.company', "Company", required=True)
    name = fields.Char("Name", required=True, translate=True)
    operation = fields.Selection(
        OPERATIONS, "Operation", required=True,
        help="The change that the policy reviews.")
    operation_string = operation.translated('operation')
    levels = fields.One2Many(
        'review.policy.level', 'policy', "Levels",
        help="The levels review one after the other, in this order.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def get_active(cls, company, operation):
        "Return the active policy of company for operation or None"
        policies = cls.search([
                ('company', '=', company.id),
                ('operation', '=', operation),
                ], limit=1)
        return policies[0] if policies else None

    def applicable_levels(self, amount):
        "Return the levels that review a request of amount, in order"
        return [l for l in self.levels if l.applies(amount)]

    @classmethod
    def validate_fields(cls, policies, field_names):
        super().validate_fields(policies, field_names)
        cls.check_active_unique(policies, field_names)

    @classmethod
    def check_active_unique(cls, policies, field_names=None):
        if field_names and not (
                field_names & {'company', 'operation', 'active'}):
            return
        for policy in policies:
            if not policy.active:
                continue
            others = cls.search([
                    ('company', '=', policy.company.id),
                    ('operation', '=', policy.operation),
                    ('id', '!=', policy.id),
                    ], limit=1)
            if others:
                other, = others
                raise PolicyValidationError(gettext(
                        'aishang_review.msg_policy_active_unique',
                        first=policy.rec_name,
                        second=other.rec_name,
                        operation=policy.operation_string,
                        company=policy.company.rec_name))


class PolicyLevel(sequence_ordered(), ModelSQL, ModelView):
    "Review Policy Level"
    __name__ = 'review.policy.level'
    policy = fields.Many2One(
        'review.policy', "Policy", required=True, ondelete='CASCADE')
    name = fields.Char(
        "Name", required=True, translate=True,
        help="Shown to reviewers and kept on their decisions.")
    above_amount = fields.Numeric(
        "Above Amount", digits=(16, 2),
        domain=['OR',
            ('above_amount', '=', None),
            ('above_amount', '>=', 0),
            ],
        help="The level reviews only requests whose amount is strictly "
        "greater than this amount.\n"
        "Leave empty to review every request.")
    groups = fields.Many2Many(
        'review.policy.level-res.group', 'level', 'group', "Groups",
        help="The members of these groups may decide this level.")
    users = fields.Many2Many(
        'review.policy.level-res.user', 'level', 'user', "Users",
        help="These users may decide this level.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('policy')
        cls._order.append(('id', 'ASC'))

    def applies(self, amount):
        return self.above_amount is None or (amount or 0) > self.above_amount

    @classmethod
    def validate_fields(cls, levels, field_names):
        super().validate_fields(levels, field_names)
        cls.check_reviewers(levels, field_names)

    @classmethod
    def check_reviewers(cls, levels, field_names=None):
        if field_names and not (field_names & {'groups', 'users'}):
            return
        # A level nobody may decide would keep its requests pending forever.
        for level in levels:
            if not level.groups and not level.users:
                raise PolicyValidationError(gettext(
                        'aishang_review.msg_policy_level_no_reviewer',
                        level=level.rec_name,
                        policy=level.policy.rec_name))

    def user_may_decide(self, user_id, group_ids):
        "Tell if the user with user_id and group_ids is a reviewer of self"
        return (user_id in {u.id for u in self.users}
            or bool(set(group_ids) & {g.id for g in self.groups}))


class PolicyLevelGroup(ModelSQL):
    "Review Policy Level - Group"
    __name__ = 'review.policy.level-res.group'
    level = fields.Many2One(
        'review.policy.level', "Level", required=True, ondelete='CASCADE')
    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('level')


class PolicyLevelUser(ModelSQL):
    "Review Policy Level - User"
    __name__ = 'review.policy.level-res.user'
    level = fields.Many2One(
        'review.policy.level', "Level", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('level')
