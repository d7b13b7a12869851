# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id

order_sequence = fields.Many2One(
    'ir.sequence', "Payment Order Sequence", required=True,
    domain=[
        ('company', 'in', [Eval('context', {}).get('company', -1), None]),
        ('sequence_type', '=',
            Id('aishang_payment', 'sequence_type_payment_order')),
        ],
    help="Numbers the payment orders sent to the channels (out_trade_no). "
    "UnionPay accepts only letters and digits.")


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    "Online Payment Configuration"
    __name__ = 'property.payment.configuration'
    __string__ = "Online Payment Configuration"
    order_sequence = fields.MultiValue(order_sequence)

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'order_sequence':
            return pool.get('property.payment.configuration.sequence')
        return super().multivalue_model(field)

    @classmethod
    def default_order_sequence(cls, **pattern):
        return cls.multivalue_model(
            'order_sequence').default_order_sequence()


class ConfigurationSequence(ModelSQL, CompanyValueMixin):
    "Online Payment Configuration Sequence"
    __name__ = 'property.payment.configuration.sequence'
    __string__ = "Online Payment Configuration per Company"
    order_sequence = order_sequence

    @classmethod
    def default_order_sequence(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('aishang_payment', 'sequence_order')
        except KeyError:
            return None
