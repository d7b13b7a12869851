# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Targets for the tests, registered only in test pools (tests/tryton.cfg).

review.test.target implements every hook and records what it was given;
review.test.target.plain implements review_apply only.
"""
import datetime as dt
from decimal import Decimal

from trytond.model import ModelSQL, fields
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class ApplyFailed(Exception):
    pass


class Target(ModelSQL):
    "Review Test Target"
    __name__ = 'review.test.target'
    name = fields.Char("Name")
    company = fields.Many2One('company.company', "Company")
    amount = fields.Numeric("Amount", digits=(16, 2))
    due_date = fields.Date("Due Date")
    fail_apply = fields.Boolean("Fail Apply")
    applied_request = fields.Many2One('review.request', "Applied Request")
    applied_state = fields.Char("State When Applied")
    applied_check_access = fields.Boolean("Access Checked When Applied")
    rejected_request = fields.Many2One('review.request', "Rejected Request")
    cancelled_request = fields.Many2One(
        'review.request', "Cancelled Request")

    @classmethod
    def review_apply(cls, request):
        target = cls(request.target.id)
        if target.fail_apply:
            raise ApplyFailed(target.name)
        values = request.values
        if 'amount' in values:
            target.amount = Decimal(values['amount'])
        if 'due_date' in values:
            target.due_date = dt.date.fromisoformat(values['due_date'])
        target.save()
        cls.write([target], {
                'applied_request': request.id,
                'applied_state': request.state,
                'applied_check_access': Transaction().check_access,
                })

    @classmethod
    def review_rejected(cls, request):
        cls.write([cls(request.target.id)], {'rejected_request': request.id})

    @classmethod
    def review_cancelled(cls, request):
        cls.write(
            [cls(request.target.id)], {'cancelled_request': request.id})


class PlainTarget(ModelSQL):
    "Review Test Plain Target"
    __name__ = 'review.test.target.plain'
    name = fields.Char("Name")
    applied = fields.Boolean("Applied")

    @classmethod
    def review_apply(cls, request):
        cls.write([cls(request.target.id)], {'applied': True})


class Request(metaclass=PoolMeta):
    __name__ = 'review.request'

    @classmethod
    def _get_targets(cls):
        return super()._get_targets() + [
            'review.test.target', 'review.test.target.plain']
