# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Id


class Project(metaclass=PoolMeta):
    __name__ = 'property.project'
    receipt_sequence = fields.Many2One(
        'ir.sequence.strict', "Receipt Sequence",
        domain=[
            ('sequence_type', '=',
                Id('aishang_cashier', 'sequence_type_receipt')),
            ],
        help="Numbers the project's receipts without gaps (S5); created "
        "with the first receipt when empty.")
    prepayment_auto_offset = fields.Boolean(
        "Offset Prepayments Automatically",
        help="Settle issued bills from the owners' prepayment accounts "
        "every day, oldest first.")

    @classmethod
    def default_prepayment_auto_offset(cls):
        return True

    def get_receipt_sequence(self):
        """Return the receipt sequence, creating it on first use.

        The caller holds a lock on the project so that two first
        receipts cannot create two sequences.
        """
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        if not self.receipt_sequence:
            sequence, = Sequence.create([{
                        'name': self.name,
                        'sequence_type': ModelData.get_id(
                            'aishang_cashier', 'sequence_type_receipt'),
                        'company': self.company.id,
                        'prefix': f'{self.code}-',
                        'padding': 7,
                        }])
            self.receipt_sequence = sequence
            self.save()
        return self.receipt_sequence

    @classmethod
    def copy(cls, projects, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('receipt_sequence', None)
        return super().copy(projects, default=default)
