# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('property.payment.order|cron_query_pending',
                    "Query Pending Online Payments"),
                ('property.payment.order|cron_expire',
                    "Expire Unpaid Online Payments"),
                ('property.payment.reconciliation|cron_import_statements',
                    "Import Payment Channel Statements"),
                ])
