# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Collection, receipts, owner accounts, voids and refunds with hand-computed amounts"
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.aishang_billing.tests.tools import with_transaction
from trytond.pool import Pool
from trytond.transaction import Transaction

from .tools import (
    CashierTestCase, account_balance, create_bills, create_household,
    draft_receipt, setup_cashier)

D = Decimal


def create_user(login, groups=()):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'login': login, 'name': login,
                'groups': [('add', [ModelData.get_id(*g.split('.'))
                            for g in groups])],
                }])
    return user


class AishangCashierBehaviourTestCase(CashierTestCase):
    "Cashier: collect, number, post, void and refund"

    def receivable(self, setup):
        return account_balance(setup['accounts']['1122.01'])

    def open_principal(self):
        "What the receivable should be: principal still owed on bills"
        Bill = Pool().get('property.bill')
        total = D(0)
        for bill in Bill.search([('state', 'in', ['open', 'partial'])]):
            paid_principal = min(bill.paid, bill.amount - bill.discount)
            total += bill.amount - bill.discount - paid_principal
        return total

    @with_transaction()
    def test_mixed_partial_collection(self):
        "Two fee items, oldest first, the newest partly, cash and WeChat"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            fee_items, methods = setup['fee_items'], setup['methods']
            project, home, owner = create_household(company)
            wyf = create_bills(home, owner, fee_items['WYF'],
                ['205.85', '205.85', '205.85'])
            cwf = create_bills(home, owner, fee_items['CWF'], ['150.00'])
            self.assertEqual(self.receivable(setup), D('767.55'))

            receipt = draft_receipt(home, owner, [], [])
            Receipt.add_open_bills([receipt])
            self.assertEqual(
                [l.bill for l in receipt.lines], wyf[:1] + cwf + wyf[1:])
            self.assertEqual(receipt.amount, D('767.55'))
            # pay the third month in part: 100 of 205.85
            third = next(l for l in receipt.lines if l.bill == wyf[2])
            third.amount = D('100.00')
            third.save()
            draft = Receipt(receipt.id)
            pool.get('property.receipt.payment').create([
                    {'receipt': draft.id, 'method': methods['cash'].id,
                        'amount': D('300.00')},
                    {'receipt': draft.id, 'method': methods['wechat'].id,
                        'amount': D('361.70')}])
            Receipt.collect([draft])

            self.assertEqual(draft.state, 'done')
            self.assertEqual(draft.number, 'CH-0000001')
            self.assertEqual(draft.total, D('661.70'))
            self.assertEqual([b.state for b in wyf + cwf],
                ['paid', 'paid', 'partial', 'paid'])
            self.assertEqual(wyf[2].balance, D('105.85'))
            self.assertEqual(self.receivable(setup), D('105.85'))
            self.assertEqual(self.receivable(setup), self.open_principal())
            self.assertEqual(
                account_balance(setup['accounts']['1001']), D('300.00'))
            self.assertEqual(
                account_balance(setup['accounts']['1002']), D('361.70'))
            self.assertEqual(draft.move.state, 'posted')

    @with_transaction()
    def test_newer_bill_refused_while_older_open(self):
        "DOMAIN_RULES 9: February cannot be paid before January"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            jan, feb = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85', '205.85'])
            receipt = draft_receipt(home, owner, [(feb, '205.85')],
                [(setup['methods']['cash'], '205.85')])
            with self.assertRaises(UserError) as cm:
                Receipt.collect([receipt])
            self.assertIn(feb.rec_name, cm.exception.message)
            # paying January in part with February is refused as well
            receipt = draft_receipt(home, owner,
                [(jan, '100.00'), (feb, '205.85')],
                [(setup['methods']['cash'], '305.85')])
            with self.assertRaises(UserError):
                Receipt.collect([receipt])
            # January and March with February open: refused too
            mar, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85'], first=dt.date(2026, 3, 1))
            receipt = draft_receipt(home, owner,
                [(jan, '205.85'), (mar, '205.85')],
                [(setup['methods']['cash'], '411.70')])
            with self.assertRaises(UserError) as cm:
                Receipt.collect([receipt])
            self.assertIn(mar.rec_name, cm.exception.message)

            # the check reads the bills in slices that keep a resource and
            # fee item together: a bill of the collection in another slice
            # is not "left out"
            _, other, other_owner = create_household(company, number='302')
            others = create_bills(other, other_owner,
                setup['fee_items']['WYF'], ['1.00'] * 3)
            ids = [b.id for b in [others[2], jan, others[0], feb, mar,
                    others[1]]]
            slices = list(Receipt._slices_by_group(ids, 4))
            self.assertEqual(sorted(i for s in slices for i in s),
                sorted(ids))
            self.assertEqual(sorted(sorted(s) for s in slices),
                sorted([sorted([jan.id, feb.id, mar.id]),
                        sorted(b.id for b in others)]))

    @with_transaction()
    def test_overpayment_and_unbalanced_refused(self):
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85'])
            cash = setup['methods']['cash']
            too_much = draft_receipt(home, owner, [(bill, '205.86')],
                [(cash, '205.86')])
            with self.assertRaises(UserError):
                Receipt.collect([too_much])
            unbalanced = draft_receipt(home, owner, [(bill, '205.85')],
                [(cash, '200.00')])
            with self.assertRaises(UserError):
                Receipt.collect([unbalanced])
            self.assertEqual(bill.state, 'open')
            self.assertEqual(bill.balance, D('205.85'))

    @with_transaction()
    def test_numbers_strict_per_project(self):
        "S5: each project numbers its receipts from 1 without gaps"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            cash = setup['methods']['cash']
            numbers = []
            for code, number in [('CH', '301'), ('CH', '302'),
                    ('JG', '101')]:
                project, home, owner = create_household(
                    company, code=code, name=code, number=number)
                bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                    ['88.00'])
                receipt = draft_receipt(home, owner, [(bill, '88.00')],
                    [(cash, '88.00')])
                Receipt.collect([receipt])
                numbers.append(receipt.number)
            self.assertEqual(numbers,
                ['CH-0000001', 'CH-0000002', 'JG-0000001'])
            with self.assertRaises(UserError):
                Receipt.delete([receipt])

    @with_transaction()
    def test_late_fee_collected_as_revenue(self):
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['200.00'])
            Bill.write([bill], {'late_fee': D('3.00')})
            receipt = draft_receipt(home, owner, [(bill, '203.00')],
                [(setup['methods']['cash'], '203.00')])
            Receipt.collect([receipt])
            line, = receipt.lines
            self.assertEqual((line.principal, line.late_fee),
                (D('200.00'), D('3.00')))
            self.assertEqual(bill.state, 'paid')
            self.assertEqual(self.receivable(setup), D(0))
            self.assertEqual(
                account_balance(setup['accounts']['6051']), D('-3.00'))

    @with_transaction()
    def test_void_through_two_levels(self):
        """S4/A1: a void waits for two reviewers, then reopens the bills,
        keeps the number and reverses the posting"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Policy = pool.get('review.policy')
        Request = pool.get('review.request')
        VoidWizard = pool.get('property.receipt.void', type='wizard')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bills = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85', '205.85'])
            first = create_user('supervisor1')
            second = create_user('supervisor2')
            Policy.create([{
                        'company': company.id, 'name': "收据作废",
                        'operation': 'receipt_void',
                        'levels': [('create', [{
                                        'sequence': 1, 'name': "主管",
                                        'users': [('add', [first.id])]}, {
                                        'sequence': 2, 'name': "财务经理",
                                        'above_amount': D(100),
                                        'users': [('add', [second.id])]}])],
                        }])
            receipt = draft_receipt(home, owner,
                [(bills[0], '205.85'), (bills[1], '205.85')],
                [(setup['methods']['cash'], '411.70')])
            Receipt.collect([receipt])
            self.assertEqual(self.receivable(setup), D(0))

            session_id, _, _ = VoidWizard.create()
            with Transaction().set_context(
                    active_model='property.receipt', active_id=receipt.id,
                    active_ids=[receipt.id]):
                wizard = VoidWizard(session_id)
                wizard.start.reason = "收款金额有误"
                wizard.transition_request()
            request, = Request.search([('target', '=', str(receipt))])
            self.assertEqual(request.state, 'pending')
            self.assertEqual(request.levels_required, 2)

            with Transaction().set_user(first.id):
                Request.approve([Request(request.id)], "属实")
            self.assertEqual(Receipt(receipt.id).state, 'done')
            with Transaction().set_user(second.id):
                Request.approve([Request(request.id)], "同意作废")

            receipt = Receipt(receipt.id)
            self.assertEqual(receipt.state, 'void')
            self.assertEqual(receipt.number, 'CH-0000001')
            self.assertEqual(receipt.void_reason, "收款金额有误")
            self.assertEqual(receipt.void_move.state, 'posted')
            self.assertEqual(
                [pool.get('property.bill')(b.id).state for b in bills],
                ['open', 'open'])
            self.assertEqual(self.receivable(setup), D('411.70'))
            self.assertEqual(
                account_balance(setup['accounts']['1001']), D(0))

    @with_transaction()
    def test_prepayment_collect_offset_refund(self):
        "C3: put money in, pay bills from it, give the rest back"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Account = pool.get('property.owner_account')
        Refund = pool.get('property.refund')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            fee_items, methods = setup['fee_items'], setup['methods']
            project, home, owner = create_household(company)
            account, = Account.create([{
                        'company': company.id, 'project': project.id,
                        'party': owner.id, 'resource': home.id,
                        'kind': 'prepayment',
                        'fee_item': fee_items['YSK'].id}])
            receipt = draft_receipt(home, owner, [(account, '1000.00')],
                [(methods['cash'], '1000.00')])
            Receipt.collect([receipt])
            self.assertEqual(Account(account.id).balance, D('1000.00'))
            self.assertEqual(
                account_balance(setup['accounts']['2203']), D('-1000.00'))

            bills = create_bills(home, owner, fee_items['WYF'],
                ['205.85', '205.85'])
            offset = draft_receipt(home, owner,
                [(bills[0], '205.85'), (bills[1], '205.85')],
                [(methods['prepayment'], '411.70', account)])
            Receipt.collect([offset])
            self.assertEqual(Account(account.id).balance, D('588.30'))
            self.assertEqual(self.receivable(setup), D(0))
            self.assertEqual(
                account_balance(setup['accounts']['2203']), D('-588.30'))

            # more than the balance is refused
            bill, = create_bills(home, owner, fee_items['CWF'], ['600.00'])
            too_much = draft_receipt(home, owner, [(bill, '600.00')],
                [(methods['prepayment'], '600.00', account)])
            with self.assertRaises(UserError):
                Receipt.collect([too_much])

            refund, = Refund.create([{
                        'company': company.id, 'project': project.id,
                        'kind': 'account', 'owner_account': account.id,
                        'party': owner.id, 'amount': D('588.30'),
                        'method': methods['cash'].id,
                        'reason': "业主搬离，退还预存款"}])
            # no review policy: approved and applied at once
            Refund.request([refund])
            self.assertEqual(refund.state, 'done')
            self.assertEqual(Account(account.id).balance, D(0))
            self.assertEqual(
                account_balance(setup['accounts']['1001']), D('411.70'))
            self.assertEqual(
                [m.kind for m in Account(account.id).moves],
                ['refund', 'offset', 'collect'])

    @with_transaction()
    def test_deposit_offset_and_refund(self):
        "C4: a renovation deposit pays a bill, the rest is refunded"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Account = pool.get('property.owner_account')
        Refund = pool.get('property.refund')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            fee_items, methods = setup['fee_items'], setup['methods']
            project, home, owner = create_household(company)
            deposit, = Account.create([{
                        'company': company.id, 'project': project.id,
                        'party': owner.id, 'resource': home.id,
                        'kind': 'deposit', 'fee_item': fee_items['YJ'].id}])
            Receipt.collect([draft_receipt(home, owner,
                        [(deposit, '2000.00')],
                        [(methods['wechat'], '2000.00')])])
            bill, = create_bills(home, owner, fee_items['WYF'], ['300.00'])
            Receipt.collect([draft_receipt(home, owner,
                        [(bill, '300.00')],
                        [(methods['deposit'], '300.00', deposit)])])
            refund, = Refund.create([{
                        'company': company.id, 'project': project.id,
                        'kind': 'account', 'owner_account': deposit.id,
                        'party': owner.id, 'amount': D('1700.01'),
                        'method': methods['wechat'].id,
                        'reason': "装修验收合格"}])
            with self.assertRaises(UserError):
                Refund.request([refund])
            Refund.write([refund], {'amount': D('1700.00')})
            Refund.request([refund])
            self.assertEqual(Account(deposit.id).balance, D(0))
            self.assertEqual(
                account_balance(setup['accounts']['2241']), D(0))
            self.assertEqual(
                account_balance(setup['accounts']['1002']), D('300.00'))
            self.assertEqual(self.receivable(setup), D(0))

    @with_transaction()
    def test_refund_reverses_discount_in_proportion(self):
        "DOMAIN_RULES 10: half the money back takes back half the discount"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Line = pool.get('property.receipt.line')
        Refund = pool.get('property.refund')
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['3360.00'])
            receipt = draft_receipt(home, owner, [(bill, '3080.00')],
                [(setup['methods']['cash'], '3080.00')])
            Line.write(list(receipt.lines), {'discount': D('280.00')})
            Receipt.collect([receipt])
            bill = Bill(bill.id)
            self.assertEqual((bill.state, bill.discount, bill.paid),
                ('paid', D('280.00'), D('3080.00')))
            self.assertEqual(self.receivable(setup), D(0))

            refund, = Refund.create([{
                        'company': company.id, 'project': project.id,
                        'kind': 'receipt', 'receipt': receipt.id,
                        'party': owner.id, 'amount': D('1540.00'),
                        'method': receipt.refund_method().id,
                        'reason': "多收半年"}])
            Refund.request([refund])
            bill = Bill(bill.id)
            self.assertEqual(refund.state, 'done')
            self.assertEqual(refund.discount_reversed, D('140.00'))
            self.assertEqual((bill.state, bill.discount, bill.paid,
                    bill.balance),
                ('partial', D('140.00'), D('1540.00'), D('1680.00')))
            self.assertEqual(self.receivable(setup), D('1680.00'))
            self.assertEqual(
                account_balance(setup['accounts']['1001']), D('1540.00'))
            # what is left to refund is 1540: more is refused
            again, = Refund.create([{
                        'company': company.id, 'project': project.id,
                        'kind': 'receipt', 'receipt': receipt.id,
                        'party': owner.id, 'amount': D('1540.01'),
                        'method': receipt.refund_method().id,
                        'reason': "再退"}])
            with self.assertRaises(UserError):
                Refund.request([again])

    @with_transaction()
    def test_bill_waiver_and_void_through_review(self):
        "BM2: waive part of a bill, void another, both reviewed"
        pool = Pool()
        Bill = pool.get('property.bill')
        Request = pool.get('review.request')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            jan, feb = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85', '205.85'])
            Request.submit('bill_waiver', jan, D('5.85'), "业主困难减免",
                values={'amount': '5.85'}, company=company)
            Request.submit('bill_void', feb, feb.balance, "重复出账",
                values={}, company=company)
            jan, feb = Bill.browse([jan, feb])
            self.assertEqual((jan.state, jan.discount, jan.balance),
                ('partial', D('5.85'), D('200.00')))
            self.assertEqual(feb.state, 'void')
            self.assertEqual(self.receivable(setup), D('200.00'))


    @with_transaction()
    def test_prepayment_auto_offset(self):
        "C3: the daily offset settles open bills oldest first from the balance"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Account = pool.get('property.owner_account')
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            fee_items, methods = setup['fee_items'], setup['methods']
            project, home, owner = create_household(company)
            account, = Account.create([{
                        'company': company.id, 'project': project.id,
                        'party': owner.id, 'resource': home.id,
                        'kind': 'prepayment',
                        'fee_item': fee_items['YSK'].id}])
            Receipt.collect([draft_receipt(home, owner,
                        [(account, '300.00')],
                        [(methods['cash'], '300.00')])])
            bills = create_bills(home, owner, fee_items['WYF'],
                ['205.85', '205.85'])
            Account.cron_offset()
            bills = Bill.browse(bills)
            self.assertEqual([b.state for b in bills], ['paid', 'partial'])
            self.assertEqual(bills[1].balance, D('111.70'))
            self.assertEqual(Account(account.id).balance, D(0))
            self.assertEqual(self.receivable(setup), D('111.70'))
            # nothing left: a second run creates no receipt
            self.assertEqual(Account.offset([account]), [])
