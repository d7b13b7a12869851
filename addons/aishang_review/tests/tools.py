# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Fixtures shared by the review tests and the addons that submit reviews"
from decimal import Decimal

from trytond.pool import Pool


def create_user(company, login, groups=()):
    """Create a user of company; groups are XML ids of this module
    ('group_review') or of others ('aishang_billing.group_billing')"""
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    group_ids = [
        ModelData.get_id(*(g if '.' in g else f'aishang_review.{g}')
            .split('.', 1))
        for g in groups]
    user, = User.create([{
                'login': login,
                'name': login.title(),
                'companies': [('add', [company.id])],
                'company': company.id,
                'groups': [('add', group_ids)],
                }])
    return user


def create_policy(company, operation, levels, name=None):
    """Create an active policy of company for operation.

    levels is a list of (name, above_amount, users, groups): above_amount a
    string or None, users res.user records, groups res.group records.
    """
    Policy = Pool().get('review.policy')
    policy, = Policy.create([{
                'company': company.id,
                'name': name or operation,
                'operation': operation,
                'levels': [('create', [{
                                'sequence': i,
                                'name': level_name,
                                'above_amount': (
                                    Decimal(above) if above is not None
                                    else None),
                                'users': [('add', [u.id for u in users])],
                                'groups': [('add', [g.id for g in groups])],
                                }
                            for i, (level_name, above, users, groups)
                            in enumerate(levels, 1)])],
                }])
    return policy
