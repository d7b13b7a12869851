# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Fixtures shared by the cashier tests: accounts, fee items, methods, bills"
import datetime as dt
from decimal import Decimal

from trytond.modules.aishang_billing.tests.tools import (
    create_fee_item, setup_accounting)
from trytond.modules.aishang_property.tests.tools import (
    create_building, create_owner, create_project, create_residence)
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase

D = Decimal


class CashierTestCase(_DBTestCase):
    """A database with the cashier activated, without the generic module
    checks that test_module.py runs once"""
    module = 'aishang_cashier'


def setup_cashier(company):
    """Accounts, fee items and payment methods of a cashier.

    Return a dict of what the tests look at: accounts by code, fee items
    by code and methods by kind.
    """
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Configuration = pool.get('property.billing.configuration')
    Method = pool.get('property.payment_method')
    control, revenue = setup_accounting(company)
    other_type = control.type
    accounts = {'1122.01': control, '6001.01': revenue}
    for code, name in [('1001', "库存现金"), ('1002', "银行存款"),
            ('2203', "预收账款"), ('2241', "其他应付款-押金"),
            ('6051', "其他业务收入")]:
        accounts[code], = Account.create([{
                    'name': name, 'code': code, 'type': other_type.id,
                    'company': company.id, 'reconcile': False,
                    'party_required': False}])
    cash_journal, = Journal.search([('type', '=', 'cash')], limit=1)
    config = Configuration(1)
    config.receipt_journal = cash_journal
    config.save()
    fee_items = {
        'WYF': create_fee_item(company, 'WYF', "物业费", control, revenue,
            account_late_fee=accounts['6051'].id),
        'CWF': create_fee_item(company, 'CWF', "车位管理费", control,
            revenue),
        'YSK': create_fee_item(company, 'YSK', "预收款", None,
            accounts['2203'], category='prepayment'),
        'YJ': create_fee_item(company, 'YJ', "装修押金", None,
            accounts['2241'], category='deposit'),
        }
    methods = {}
    for code, name, kind, account in [
            ('XJ', "现金", 'cash', accounts['1001']),
            ('WX', "微信支付", 'wechat', accounts['1002']),
            ('YC', "预存款抵扣", 'prepayment', None),
            ('YJ', "押金抵扣", 'deposit', None)]:
        methods[kind], = Method.create([{
                    'company': company.id, 'code': code, 'name': name,
                    'kind': kind,
                    'account': account.id if account else None}])
    return {'accounts': accounts, 'fee_items': fee_items,
        'methods': methods}


def create_household(company, code='CH', name="翠湖花园", number='301'):
    "A project (reused when it exists), a home 2-1-<number> and its owner"
    Project = Pool().get('property.project')
    projects = Project.search([('code', '=', code)])
    project = projects[0] if projects else create_project(
        company, code=code, name=name)
    buildings = [b for b in project.buildings]
    building = buildings[0] if buildings else create_building(project)
    home = create_residence(building, building.units[0], number)
    owner = create_owner(name=f"业主{code}{number}",
        phone=f'1380000{number:0>4}')
    Pool().get('property.ownership').create([{
                'resource': home.id, 'party': owner.id, 'share': D(100),
                'primary': True}])
    return project, home, owner


def create_bills(home, owner, fee_item, amounts, first=dt.date(2026, 1, 1),
        issue=True, **values):
    "Monthly bills of amounts from the month of first, issued"
    Bill = Pool().get('property.bill')
    from trytond.modules.aishang_billing.money import add_months
    bills = Bill.create([{
                'company': home.project.company.id,
                'project': home.project.id,
                'resource': home.id,
                'party': owner.id,
                'fee_item': fee_item.id,
                'period_start': add_months(first, i),
                'period_end': add_months(first, i + 1) - dt.timedelta(1),
                'amount': D(amount),
                'due_date': add_months(first, i + 1),
                **values}
            for i, amount in enumerate(amounts)])
    if issue:
        Bill.issue(bills)
    return Bill.browse(bills)


def draft_receipt(home, owner, lines, payments):
    """A draft receipt of lines (bill, amount) or (owner account, amount)
    paid by payments (method, amount) or (method, amount, account)."""
    pool = Pool()
    Receipt = pool.get('property.receipt')
    Line = pool.get('property.receipt.line')
    line_values = []
    for target, amount in lines:
        if target.__name__ == 'property.bill':
            values = {'kind': 'bill', 'bill': target.id,
                **Line.bill_values(target)}
        else:
            values = {'kind': target.kind, 'owner_account': target.id}
        line_values.append({**values, 'amount': D(amount)})
    receipt, = Receipt.create([{
                'company': home.project.company.id,
                'project': home.project.id,
                'resource': home.id,
                'party': owner.id,
                'lines': [('create', line_values)],
                'payments': [('create', [{
                                'method': p[0].id, 'amount': D(p[1]),
                                'owner_account': p[2].id if len(p) > 2
                                else None}
                            for p in payments])],
                }])
    return receipt


def account_balance(account):
    "Debit minus credit of account over all posted moves"
    Account = Pool().get('account.account')
    return Account(account.id).balance
