# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.pool import PoolMeta


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['property.receipt', 'property.refund']


class ReviewRequest(metaclass=PoolMeta):
    __name__ = 'review.request'

    @classmethod
    def _get_targets(cls):
        return super()._get_targets() + [
            'property.bill', 'property.receipt', 'property.refund',
            'property.owner_account', 'property.waiver']
