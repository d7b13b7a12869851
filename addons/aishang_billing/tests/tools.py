# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Fixtures shared by the billing tests and the addons above billing"
import datetime as dt

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.pool import Pool


def setup_accounting(company, today=None):
    """Create a chart, an open fiscal year and the bill journal.

    Return the receivable control account and the revenue account.
    """
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Configuration = pool.get('property.billing.configuration')
    FiscalYear = pool.get('account.fiscalyear')
    today = today or dt.date.today()
    create_chart(company)
    fiscalyear = get_fiscalyear(company, today=today)
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])
    receivable_type = Account.search([
            ('type.receivable', '=', True),
            ('company', '=', company.id),
            ], limit=1)[0].type
    revenue_type = Account.search([
            ('type.revenue', '=', True),
            ('company', '=', company.id),
            ], limit=1)[0].type
    control, revenue = Account.create([{
                'name': "应收物业费", 'code': '1122.01',
                'type': receivable_type.id, 'company': company.id,
                'party_required': False, 'reconcile': False,
                }, {
                'name': "物业服务收入", 'code': '6001.01',
                'type': revenue_type.id, 'company': company.id,
                }])
    journal, = Journal.search([('type', '=', 'revenue')], limit=1)
    config = Configuration(1)
    config.bill_journal = journal
    config.save()
    return control, revenue


def create_fee_item(company, code='WYF', name="物业费", control=None,
        revenue=None, **values):
    FeeItem = Pool().get('property.fee_item')
    fee_item, = FeeItem.create([{
                'company': company.id, 'code': code, 'name': name,
                'category': 'periodic',
                'account_receivable': control.id if control else None,
                'account_revenue': revenue.id if revenue else None,
                **values}])
    return fee_item


def receivable_balance(account):
    "Debit minus credit of account over all posted moves"
    Account = Pool().get('account.account')
    return Account(account.id).balance
