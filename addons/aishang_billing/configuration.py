# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    "Billing Configuration"
    __name__ = 'property.billing.configuration'
    bill_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Bill Journal",
            domain=[('type', 'in', ['revenue', 'general'])],
            help="The journal issued bills are posted in; "
            "leave empty while accounting is not set up."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'bill_journal':
            return pool.get('property.billing.configuration.journal')
        return super().multivalue_model(field)


class ConfigurationJournal(ModelSQL, CompanyValueMixin):
    "Billing Configuration Journal"
    __name__ = 'property.billing.configuration.journal'
    bill_journal = fields.Many2One(
        'account.journal', "Bill Journal",
        domain=[('type', 'in', ['revenue', 'general'])])
