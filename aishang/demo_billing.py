# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Demo billing: accounting, fee items, prices, rules and six months of bills.

populate_billing(pool, company) runs at the end of demo_data.populate(pool)
when aishang_billing is activated, inside the same transaction as root. It
sets up the company's accounting the Chinese way (企业会计准则 codes under
Tryton's universal chart), the fee items and the Hangzhou prices of both
communities, then bills June to November 2026 with bill runs, each posting
one account move. Nothing is created when the company has fee items.
"""
import datetime as dt
from decimal import Decimal

from trytond.transaction import Transaction

D = Decimal

CHART_TEMPLATE = ('account', 'account_template_root_en')
# The account type templates of the universal chart the accounts use
TYPES = {
    'cash': 'account_type_template_cash_en',
    'receivable': 'account_type_template_accounts_receivable_en',
    'unearned': 'account_type_template_unearned_revenue_en',
    'liability': 'account_type_template_current_liabilities_en',
    'revenue': 'account_type_template_revenue_en',
    }
# code, name, parent code, type (None for a view account that sums its
# children). Receivables carry no party: they are the control accounts
# the bills post to, the bills themselves are the sub-ledger.
ACCOUNTS = [
    ('1001', '库存现金', None, 'cash'),
    ('1002', '银行存款', None, 'cash'),
    ('1122', '应收账款', None, None),
    ('1122.01', '应收物业费', '1122', 'receivable'),
    ('1122.02', '应收水电费', '1122', 'receivable'),
    ('1122.03', '应收车位费', '1122', 'receivable'),
    ('1122.04', '应收租金', '1122', 'receivable'),
    ('1221', '其他应收款', None, 'receivable'),
    ('2203', '预收账款', None, 'unearned'),
    ('2241', '其他应付款-押金', None, 'liability'),
    ('6001', '主营业务收入', None, None),
    ('6001.01', '物业服务收入', '6001', 'revenue'),
    ('6001.02', '水电费收入', '6001', 'revenue'),
    ('6001.03', '停车服务收入', '6001', 'revenue'),
    ('6001.04', '租赁收入', '6001', 'revenue'),
    ('6051', '其他业务收入', None, 'revenue'),
    ]
FISCAL_YEARS = [2025, 2026, 2027]
JOURNAL = ('WYSF', '物业收费')

# code, name, category, receivable account, revenue (or liability) account,
# description
FEE_ITEMS = [
    ('WYF', '物业费', 'periodic', '1122.01', '6001.01',
        '按计费面积每月收取的物业服务费'),
    ('DTF', '电梯费', 'periodic', '1122.01', '6001.01',
        '高层住宅电梯运行维护费，按计费面积收取'),
    ('LJF', '垃圾处理费', 'periodic', '1122.01', '6051',
        '生活垃圾处理费，按户收取'),
    ('SF', '水费', 'metered', '1122.02', '6001.02', '按水表读数收取'),
    ('DF', '电费', 'metered', '1122.02', '6001.02', '按电表读数收取'),
    ('CWF', '车位管理费', 'periodic', '1122.03', '6001.03',
        '已售车位的管理服务费，按个收取'),
    ('ZJ', '租金', 'periodic', '1122.04', '6001.04',
        '商铺租金，租期内按季度收取'),
    ('YJ', '押金', 'deposit', '1221', '2241', '装修押金、门禁卡押金等'),
    ('YSK', '预收款', 'prepayment', '1221', '2203', '业主预存的费用'),
    ]
# Only the property fee charges late fees (滞纳金), as the contracts say.
LATE_FEES = {
    'WYF': {'late_fee': True, 'late_fee_rate': D('0.0005'),
        'late_fee_grace_days': 15, 'late_fee_cap': D(100)},
    }

# Prices (Hangzhou, ¥ per month): fee item, project, scope, method, price,
# formula. scope is {} for the whole project, {'kind': …} or
# {'building': code}.
PRICE_RULES = [
    ('WYF', 'CH', {}, 'area', '2.80', None),
    ('WYF', 'JG', {}, 'area', '1.95', None),
    ('WYF', 'CH', {'kind': 'shop'}, 'area', '4.50', None),
    ('WYF', 'JG', {'kind': 'shop'}, 'area', '4.50', None),
    ('WYF', 'CH', {'building': '1'}, 'area', '3.20', None),
    ('WYF', 'CH', {'building': '2'}, 'area', '3.20', None),
    ('LJF', 'CH', {}, 'household', '10', None),
    ('LJF', 'JG', {}, 'household', '10', None),
    ('CWF', 'CH', {'kind': 'parking'}, 'household', '80', None),
    ('CWF', 'JG', {'kind': 'parking'}, 'household', '80', None),
    # The rent of a resource is not a formula variable: price the shops
    # per ㎡ and month instead.
    ('ZJ', 'CH', {'kind': 'shop'}, 'formula', '120', 'area * price * months'),
    ('ZJ', 'JG', {'kind': 'shop'}, 'formula', '120', 'area * price * months'),
    ]
ELEVATOR_PRICE = D('0.35')   # 电梯费 of the high-rise buildings only

# fee item, kinds billed, cycle, lease bound
BILL_RULES = [
    ('WYF', ['residence', 'shop'], 'monthly', False),
    ('LJF', ['residence'], 'monthly', False),
    ('CWF', ['parking'], 'monthly', False),
    ('ZJ', ['shop'], 'quarterly', True),
    ]
DUE_OFFSET = 15
GENERATE_OFFSET = -5
# Each project is billed for these months (the quarterly rent on the
# first month of each quarter, later runs of the quarter add nothing).
RUN_MONTHS = [dt.date(2026, month, 1) for month in range(6, 12)]


def populate_billing(pool, company):
    "Set up the billing of company unless it has fee items; return them"
    FeeItem = pool.get('property.fee_item')
    with Transaction().set_context(company=company.id):
        fee_items = FeeItem.search([('company', '=', company.id)])
        if fee_items:
            return fee_items
        accounts = _setup_accounting(pool, company)
        fee_items = _create_fee_items(pool, company, accounts)
        projects = {p.code: p for p in pool.get('property.project').search([
                    ('company', '=', company.id)])}
        _create_price_rules(pool, projects, fee_items)
        _create_bill_rules(pool, projects, fee_items)
        _run_bills(pool, company, projects)
        return list(fee_items.values())


# Accounting

def _setup_accounting(pool, company):
    "Return the company's accounts by code, creating what is missing"
    Account = pool.get('account.account')
    if not Account.search([('company', '=', company.id)], limit=1):
        _create_chart(pool, company)
    accounts = _create_accounts(pool, company)
    _create_fiscal_years(pool, company)
    _set_bill_journal(pool, company)
    return accounts


def _create_chart(pool, company):
    "Create Tryton's universal chart as the account.create_chart wizard does"
    AccountTemplate = pool.get('account.account.template')
    Account = pool.get('account.account')
    ModelData = pool.get('ir.model.data')
    CreateChart = pool.get('account.create_chart', type='wizard')
    DefaultAccount = pool.get('account.configuration.default_account')

    template = AccountTemplate(ModelData.get_id(*CHART_TEMPLATE))
    session_id, _, _ = CreateChart.create()
    wizard = CreateChart(session_id)
    wizard.account.account_template = template
    wizard.account.company = company
    wizard.transition_create_account()
    CreateChart.delete(session_id)
    # The wizard's last step sets the default receivable and payable of
    # parties (for later invoices) to the chart's party accounts. Saving
    # the configuration singleton locks its table, which needs the whole
    # transaction to be restarted: write the company's values directly.
    receivable, = Account.search([
            ('type.receivable', '=', True),
            ('party_required', '=', True),
            ('company', '=', company.id),
            ], limit=1)
    payable, = Account.search([
            ('type.payable', '=', True),
            ('party_required', '=', True),
            ('company', '=', company.id),
            ], limit=1)
    DefaultAccount.create([{
                'company': company.id,
                'default_account_receivable': receivable.id,
                'default_account_payable': payable.id,
                }])


def _create_accounts(pool, company):
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    ModelData = pool.get('ir.model.data')

    types = {}
    for key, xml_id in TYPES.items():
        type_, = AccountType.search([
                ('template', '=', ModelData.get_id('account', xml_id)),
                ('company', '=', company.id),
                ], limit=1)
        types[key] = type_
    root, = Account.search([
            ('template', '=', ModelData.get_id(*CHART_TEMPLATE)),
            ('company', '=', company.id),
            ], limit=1)
    accounts = {a.code: a for a in Account.search([
                ('company', '=', company.id),
                ('code', 'in', [a[0] for a in ACCOUNTS]),
                ])}
    # Parents come before their children in ACCOUNTS
    for code, name, parent, type_ in ACCOUNTS:
        if code in accounts:
            continue
        accounts[code], = Account.create([{
                    'company': company.id,
                    'code': code,
                    'name': name,
                    'parent': accounts[parent].id if parent else root.id,
                    'type': types[type_].id if type_ else None,
                    'party_required': False,
                    'reconcile': False,
                    }])
    return accounts


def _create_fiscal_years(pool, company):
    """Create the open fiscal years with monthly periods.

    Bills are posted on the day of the run, so the current year is covered
    whatever the date the demo is built.
    """
    FiscalYear = pool.get('account.fiscalyear')
    Sequence = pool.get('ir.sequence.strict')
    ModelData = pool.get('ir.model.data')
    Date = pool.get('ir.date')

    years = sorted(set(FISCAL_YEARS) | {Date.today().year})
    existing = FiscalYear.search([('company', '=', company.id)])
    years = [y for y in years if not any(
            f.start_date <= dt.date(y, 12, 31)
            and f.end_date >= dt.date(y, 1, 1) for f in existing)]
    if not years:
        return
    sequence_type = ModelData.get_id('account', 'sequence_type_account_move')
    sequences = Sequence.create([{
                'name': f'{year} 年记账凭证',
                'sequence_type': sequence_type,
                'company': company.id,
                'prefix': f'记{year}-',
                'padding': 5,
                } for year in years])
    fiscal_years = FiscalYear.create([{
                'name': f'{year} 年度',
                'company': company.id,
                'start_date': dt.date(year, 1, 1),
                'end_date': dt.date(year, 12, 31),
                'move_sequence': sequence.id,
                } for year, sequence in zip(years, sequences)])
    FiscalYear.create_period(fiscal_years)


def _set_bill_journal(pool, company):
    """Set the bill journal, ready for the moves of today's bill runs.

    The company's configuration value and the journal's period are created
    here because Tryton locks their tables when it creates them on the fly,
    and a lock taken in the middle of a transaction needs the whole
    transaction to be restarted, which only the RPC dispatcher, the worker
    and the test runner do (not `aishang demo`).
    """
    Journal = pool.get('account.journal')
    ConfigurationJournal = pool.get('property.billing.configuration.journal')
    JournalPeriod = pool.get('account.journal.period')
    Period = pool.get('account.period')
    Date = pool.get('ir.date')
    code, name = JOURNAL
    journals = Journal.search([('code', '=', code)], limit=1)
    if journals:
        journal, = journals
    else:
        journal, = Journal.create([{
                    'code': code, 'name': name, 'type': 'revenue'}])
    values = ConfigurationJournal.search([('company', '=', company.id)])
    if values:
        ConfigurationJournal.write(values, {'bill_journal': journal.id})
    else:
        ConfigurationJournal.create([{
                    'company': company.id, 'bill_journal': journal.id}])
    period = Period.find(company, date=Date.today())
    if not JournalPeriod.search([
                ('journal', '=', journal.id),
                ('period', '=', period.id),
                ]):
        JournalPeriod.create([{'journal': journal.id, 'period': period.id}])


# Fee items, prices and rules

def _create_fee_items(pool, company, accounts):
    "Return the fee items by code"
    FeeItem = pool.get('property.fee_item')
    fee_items = FeeItem.create([{
                'company': company.id,
                'sequence': sequence,
                'code': code,
                'name': name,
                'category': category,
                'account_receivable': accounts[receivable].id,
                'account_revenue': accounts[revenue].id,
                'description': description,
                **LATE_FEES.get(code, {'late_fee': False}),
                } for sequence, (code, name, category, receivable, revenue,
                description) in enumerate(FEE_ITEMS, 1)])
    return {f.code: f for f in fee_items}


def _high_rise(projects):
    "Return the high-rise buildings of projects (elevators, higher fees)"
    return [b for p in projects.values() for b in p.buildings
        if b.structure == 'high_rise']


def _create_price_rules(pool, projects, fee_items):
    PriceRule = pool.get('property.price_rule')
    buildings = {(b.project.code, b.code): b
        for p in projects.values() for b in p.buildings}
    values = []
    for code, project, scope, method, price, formula in PRICE_RULES:
        scope = dict(scope)
        if 'building' in scope:
            scope['building'] = buildings[project, scope['building']].id
        values.append({
                'fee_item': fee_items[code].id,
                'project': projects[project].id,
                **scope,
                'method': method,
                'unit_price': D(price),
                'formula': formula,
                })
    for building in _high_rise(projects):
        values.append({
                'fee_item': fee_items['DTF'].id,
                'project': building.project.id,
                'building': building.id,
                'method': 'area',
                'unit_price': ELEVATOR_PRICE,
                })
    PriceRule.create(values)


def _create_bill_rules(pool, projects, fee_items):
    BillRule = pool.get('property.bill_rule')
    common = {'due_offset': DUE_OFFSET, 'generate_offset': GENERATE_OFFSET}
    values = []
    for project in projects.values():
        for code, kinds, cycle, lease_bound in BILL_RULES:
            for kind in kinds:
                values.append({
                        'fee_item': fee_items[code].id,
                        'project': project.id,
                        'kind': kind,
                        'cycle': cycle,
                        'lease_bound': lease_bound,
                        **common,
                        })
    # The elevator fee: homes of the high-rise buildings only
    for building in _high_rise(projects):
        values.append({
                'fee_item': fee_items['DTF'].id,
                'project': building.project.id,
                'building': building.id,
                'kind': 'residence',
                'cycle': 'monthly',
                **common,
                })
    BillRule.create(values)


def _run_bills(pool, company, projects):
    "Bill each project month by month, one posted move per run"
    Run = pool.get('property.bill.run')
    runs = Run.create([{
                'company': company.id,
                'project': project.id,
                'date': date,
                } for date in RUN_MONTHS
            for project in sorted(projects.values(), key=lambda p: p.code)])
    with Transaction().set_context(bill_run_sync=True):
        Run.start(runs)
    return runs
