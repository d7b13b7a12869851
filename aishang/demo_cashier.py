# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Demo cashier: payment methods, review policies, schemes and receipts.

populate_cashier(pool, company) runs after the billing demo when
aishang_cashier is activated, in its own transaction (see
aishang.demo_data.populate_cashier). Collecting locks bills, projects and
sequences; the tables are locked first so that Tryton restarts the
transaction before any work instead of after it. Nothing is created when
the company has payment methods.
"""
import random
from decimal import Decimal

from trytond.transaction import Transaction

D = Decimal
SEED = 20261127

# code, name, kind, account code
METHODS = [
    ('XJ', '现金', 'cash', '1001'),
    ('WX', '微信支付', 'wechat', '1002'),
    ('ZFB', '支付宝', 'alipay', '1002'),
    ('YL', '银联', 'unionpay', '1002'),
    ('ZZ', '银行转账', 'bank', '1002'),
    ('POS', 'POS刷卡', 'pos', '1002'),
    ('YC', '预存款抵扣', 'prepayment', None),
    ('YJ', '押金抵扣', 'deposit', None),
    ]
CASH_JOURNAL = ('XJSK', '收银日记账')
# login, name, groups (module, xml id); passwords in
# aishang.demo_data.CASHIER_LOGINS
USERS = [
    ('cashier', '王芳（收银员）', [
            ('aishang_cashier', 'group_cashier'),
            ('aishang_billing', 'group_billing'),
            ('aishang_property', 'group_property_read')]),
    ('supervisor', '张敏（客服主管）', [
            ('aishang_review', 'group_review'),
            ('aishang_cashier', 'group_cashier'),
            ('aishang_property', 'group_property_read')]),
    ('finance', '李华（财务经理）', [
            ('aishang_review', 'group_review'),
            ('aishang_cashier', 'group_cashier_admin'),
            ('aishang_property', 'group_property_read')]),
    ]
# operation, name, levels: (name, above amount, reviewer login)
POLICIES = [
    ('receipt_void', '收据作废审核', [
            ('客服主管', None, 'supervisor'), ('财务经理', D(100), 'finance')]),
    ('refund', '退款审核', [
            ('客服主管', None, 'supervisor'), ('财务经理', D(100), 'finance')]),
    ('bill_void', '账单作废审核', [('财务经理', None, 'finance')]),
    ('bill_amount', '账单调整审核', [('财务经理', None, 'finance')]),
    ('bill_waiver', '减免审核', [
            ('客服主管', None, 'supervisor'),
            ('财务经理', D(100), 'finance')]),
    ('prepayment_refund', '预存款退款审核', [('财务经理', None, 'finance')]),
    ('deposit_refund', '押金退还审核', [('财务经理', None, 'finance')]),
    ]
# name, kind, values
SCHEMES = [
    ('抹零（元以下）', 'round_off', {'round_unit': '1', 'review_above': D(1)}),
    ('九五折', 'percentage', {'rate': D(5), 'review_above': D(200)}),
    ('交12个月送1个月', 'free_months',
        {'pay_months': 12, 'free_months': 1, 'review_above': D(0)}),
    ('空置房物业费五折', 'vacancy', {'rate': D(50), 'review_above': D(0)}),
    ]
LOCKED = ['property.bill', 'property.project', 'ir.sequence.strict',
    'property.owner_account', 'account.journal.period',
    'property.billing.configuration.journal']


def populate_cashier(pool, company):
    "Set up the cashier of company unless it has payment methods"
    Method = pool.get('property.payment_method')
    with Transaction().set_context(company=company.id):
        if Method.search([('company', '=', company.id)], limit=1):
            return
        for name in LOCKED:
            pool.get(name).lock()
        accounts = {a.code: a for a in pool.get('account.account').search([
                    ('company', '=', company.id)])}
        methods = _create_methods(pool, company, accounts)
        _set_receipt_journal(pool, company)
        users = _create_users(pool, company)
        _create_policies(pool, company, users)
        _create_schemes(pool, company)
        reminders = _create_reminder(pool, company)
        _collect(pool, company, methods)
        _remind(pool, reminders)


def _create_methods(pool, company, accounts):
    Method = pool.get('property.payment_method')
    methods = Method.create([{
                'company': company.id, 'sequence': i, 'code': code,
                'name': name, 'kind': kind,
                'account': accounts[account].id if account else None,
                } for i, (code, name, kind, account) in enumerate(METHODS)])
    return {m.kind: m for m in methods}


def _set_receipt_journal(pool, company):
    "The cash journal, its period and the configuration value (see billing)"
    Journal = pool.get('account.journal')
    ConfigurationJournal = pool.get('property.billing.configuration.journal')
    JournalPeriod = pool.get('account.journal.period')
    Period = pool.get('account.period')
    Date = pool.get('ir.date')
    code, name = CASH_JOURNAL
    journal, = Journal.create([{'code': code, 'name': name, 'type': 'cash'}])
    values = ConfigurationJournal.search([('company', '=', company.id)])
    ConfigurationJournal.write(values, {'receipt_journal': journal.id})
    period = Period.find(company, date=Date.today())
    JournalPeriod.create([{'journal': journal.id, 'period': period.id}])


def _create_users(pool, company):
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Project = pool.get('property.project')
    Lang = pool.get('ir.lang')
    projects = Project.search([('company', '=', company.id)])
    from aishang.demo_data import CASHIER_LOGINS
    passwords = {login: password for login, password, _ in CASHIER_LOGINS}
    langs = Lang.search([('code', '=', 'zh_CN')], limit=1)
    users = User.create([{
                'login': login, 'name': name, 'password': passwords[login],
                'groups': [('add', [ModelData.get_id(*g) for g in groups])],
                'projects': [('add', [p.id for p in projects])],
                'companies': [('add', [company.id])],
                'company': company.id,
                'language': langs[0].id if langs else None,
                } for login, name, groups in USERS])
    return {u.login: u for u in users}


def _create_policies(pool, company, users):
    Policy = pool.get('review.policy')
    Policy.create([{
                'company': company.id, 'name': name, 'operation': operation,
                'levels': [('create', [{
                                'sequence': i, 'name': level,
                                'above_amount': above,
                                'users': [('add', [users[login].id])],
                                } for i, (level, above, login) in enumerate(
                                levels, 1)])],
                } for operation, name, levels in POLICIES])


def _create_schemes(pool, company):
    Scheme = pool.get('property.discount')
    Scheme.create([{'company': company.id, 'name': name, 'kind': kind,
                **values} for name, kind, values in SCHEMES])


def _create_reminder(pool, company):
    """A monthly reminder of bills overdue 30 days, in the app: owners read
    it in the H5 portal and the mini-program (GET owner/messages)"""
    Template = pool.get('message.template')
    Reminder = pool.get('property.reminder')
    template, = Template.create([{
                'company': company.id, 'code': 'overdue_reminder',
                'name': '欠费提醒', 'variables': (
                    'name,amount,count,oldest_due,project'),
                'subject': '${project}物业费缴费提醒',
                'body': '尊敬的${name}业主：您在${project}尚有${count}笔费用'
                '共${amount}元未缴，最早应缴日期为${oldest_due}。'
                '请及时到物业服务中心或通过业主小程序缴纳，谢谢！',
                }])
    return Reminder.create([{
                'company': company.id, 'name': '逾期30天欠费提醒',
                'kind': 'reminder', 'overdue_days': 30,
                'min_amount': D(100), 'interval_days': 30,
                'channel': 'in_app', 'template': template.id,
                }])


def _remind(pool, reminders):
    "Send the reminders once, as their cron would, after the collections"
    Reminder = pool.get('property.reminder')
    Outbox = pool.get('message.outbox')
    Reminder.run(reminders)
    Outbox.send(Outbox.search([
                ('channel', '=', 'in_app'), ('state', '=', 'queued')]))


def _collect(pool, company, methods):
    """Receipts for about half of the homes: all their bills, part of the
    last one for some, paid by rotating methods; prepayments and deposits
    for a few; one void waiting for the finance manager."""
    Bill = pool.get('property.bill')
    Receipt = pool.get('property.receipt')
    Account = pool.get('property.owner_account')
    FeeItem = pool.get('property.fee_item')
    rng = random.Random(SEED)
    # read() gives plain values: browsing thousands of bills would thrash
    # the record cache
    bills = Bill.read([b.id for b in Bill.search([
                    ('company', '=', company.id),
                    ('state', 'in', ['open', 'partial']),
                    ('resource.kind', '=', 'residence'),
                    ])],
        ['project', 'resource', 'party', 'fee_item', 'period_start',
            'period_end', 'balance'])
    by_resource = {}
    for bill in bills:
        by_resource.setdefault(bill['resource'], []).append(bill)
    # all the open bills of a home or none: leaving one out (no payer on
    # file) would pay a newer bill while an older one stays open
    resources = sorted(r for r, b in by_resource.items()
        if all(x['party'] for x in b))
    chosen = rng.sample(resources, len(resources) // 2)
    kinds = ['cash', 'wechat', 'wechat', 'alipay', 'unionpay', 'pos', 'bank']
    values = []
    for resource in chosen:
        resource_bills = by_resource[resource]
        lines = [{
                'kind': 'bill', 'bill': b['id'], 'fee_item': b['fee_item'],
                'resource': resource, 'period_start': b['period_start'],
                'period_end': b['period_end'], 'due': b['balance'],
                'amount': b['balance'],
                } for b in resource_bills]
        if rng.random() < 0.2 and lines[-1]['amount'] > 10:
            lines[-1]['amount'] = (lines[-1]['amount'] / 2).quantize(
                D('0.01'))
        total = sum(l['amount'] for l in lines)
        kind = rng.choice(kinds)
        if kind == 'cash' and total > 200:
            cash = D(int(total / 2))
            payments = [{'method': methods['cash'].id, 'amount': cash},
                {'method': methods['wechat'].id, 'amount': total - cash}]
        else:
            payments = [{'method': methods[kind].id, 'amount': total}]
        values.append({
                'company': company.id,
                'project': resource_bills[0]['project'],
                'resource': resource,
                'party': resource_bills[0]['party'],
                'lines': [('create', lines)],
                'payments': [('create', payments)],
                })
    receipts = Receipt.create(values)
    Receipt.collect(receipts)

    prepayment, deposit = (FeeItem.search([('code', '=', c),
                ('company', '=', company.id)])[0] for c in ['YSK', 'YJ'])
    accounts = Account.create([{
                'company': company.id, 'project': by_resource[r][0]['project'],
                'party': by_resource[r][0]['party'], 'resource': r,
                'kind': kind, 'fee_item': item.id,
                } for i, r in enumerate(resources[:12])
            for kind, item in ([('prepayment', prepayment)] if i < 8
                else [('deposit', deposit)])])
    top_ups = Receipt.create([{
                'company': company.id, 'project': a.project.id,
                'resource': a.resource.id, 'party': a.party.id,
                'lines': [('create', [{'kind': a.kind,
                                'owner_account': a.id,
                                'amount': D(1000 if a.kind == 'prepayment'
                                    else 2000)}])],
                'payments': [('create', [{'method': methods['wechat'].id,
                                'amount': D(1000 if a.kind == 'prepayment'
                                    else 2000)}])],
                } for a in accounts])
    Receipt.collect(top_ups)
    _request_void(pool, receipts[0])


def _request_void(pool, receipt):
    "A void the supervisor approved, waiting for the finance manager"
    Request = pool.get('review.request')
    User = pool.get('res.user')
    cashier, supervisor = (User.search([('login', '=', login)])[0]
        for login in ['cashier', 'supervisor'])
    with Transaction().set_user(cashier.id):
        request = Request.submit('receipt_void', receipt, receipt.total,
            '业主重复缴费，原收据作废后重新开具',
            changes=[('状态', '已收款', '作废')],
            company=receipt.company,
            description=f'{receipt.number} {receipt.party.rec_name}')
    if request.amount > 0:
        with Transaction().set_user(supervisor.id):
            Request.approve([request], '已核实重复缴费')
    return request
