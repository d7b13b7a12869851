# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Fixtures shared by the billing tests and the addons above billing"
import datetime as dt
from functools import wraps

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.cache import Cache
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction, TransactionError


# Tables whose first write the accounting fixtures lock: singletons'
# creation, fiscal years and periods, the journal period of a first move.
ACCOUNTING_LOCKS = ['account_configuration', 'account_fiscalyear',
    'account_period', 'account_journal_period',
    'property_billing_configuration']


def with_transaction(user=1, context=None, locks=ACCOUNTING_LOCKS):
    """trytond's with_transaction, starting with the locks of locks held.

    Tryton takes locks when a transaction starts and restarts the test
    from its beginning for each lock asked for later; the accounting
    fixtures ask for five, so a test ran six times on PostgreSQL.
    """
    def decorator(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            extras = {'_lock_tables': list(locks)}
            while True:
                with Transaction().start(
                        DB_NAME, user, context=context,
                        **extras) as transaction:
                    try:
                        return func(*args, **kwargs)
                    except TransactionError as e:
                        transaction.rollback()
                        transaction.tasks.clear()
                        e.fix(extras)
                        continue
                    finally:
                        transaction.rollback()
                        transaction.tasks.clear()
                        Cache.drop(DB_NAME)
        return wrapper
    return decorator


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
