# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta


class Receipt(metaclass=PoolMeta):
    __name__ = 'property.receipt'

    def printed_cashier(self):
        """A receipt of an online payment was taken by its channel, not by
        the server's user that processed the notification"""
        Order = Pool().get('property.payment.order')
        orders = Order.search([('receipt', '=', self.id)], limit=1)
        if orders:
            return gettext('aishang_payment.msg_receipt_online_cashier',
                channel=orders[0].channel.name)
        return super().printed_cashier()
