# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.pool import PoolMeta


class PaymentMethod(metaclass=PoolMeta):
    __name__ = 'property.payment_method'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        kinds = [k for k, _ in cls.kind.selection]
        for kind, name in [
                ('unionpay', "UnionPay"),
                ('sandbox', "Sandbox (Demo)"),
                ]:
            if kind not in kinds:
                cls.kind.selection.append((kind, name))
