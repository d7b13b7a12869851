# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from . import settle
from .exceptions import OwnerAccountError

ZERO = Decimal(0)


class OwnerAccount(ModelSQL, ModelView):
    """An owner's money held by the company: prepayments (预存) that settle
    bills, or a deposit (押金) kept until it is refunded"""
    __name__ = 'property.owner_account'
    company = fields.Many2One('company.company', "Company", required=True)
    project = fields.Many2One(
        'property.project', "Project", required=True,
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One(
        'party.party', "Owner", required=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    resource = fields.Many2One(
        'property.resource', "Resource",
        domain=[('project', '=', Eval('project', -1))],
        help="The resource the money is held for; empty for the owner's "
        "account in the project.")
    kind = fields.Selection([
            ('prepayment', "Prepayment"),
            ('deposit', "Deposit"),
            ], "Kind", required=True)
    kind_string = kind.translated('kind')
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('category', '=', Eval('kind')),
            ],
        help="The prepayment or deposit item whose account holds the "
        "money (e.g. 预收款, 装修押金).")
    applies_to = fields.Many2One(
        'property.fee_item', "Settles Fee Item",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('category', 'not in', ['prepayment', 'deposit']),
            ],
        states={'invisible': Eval('kind') != 'prepayment'},
        help="Only bills of this fee item are settled from the account; "
        "all when empty.")
    balance = fields.Function(
        fields.Numeric("Balance", digits=(16, 2)), 'get_balance')
    moves = fields.One2Many(
        'property.owner_account.move', 'account', "Movements", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('account_uniq', Unique(t, t.project, t.party, t.resource,
                    t.kind, t.fee_item, t.applies_to),
                'aishang_cashier.msg_owner_account_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.party, Index.Equality())))
        cls._sql_indexes.add(Index(t, (t.resource, Index.Equality())))
        cls._buttons.update({
                'offset': {
                    'invisible': Eval('kind') != 'prepayment',
                    'depends': ['kind'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'prepayment'

    def get_rec_name(self, name):
        where = self.resource.code if self.resource else self.project.name
        return f'{self.party.rec_name} {where} {self.fee_item.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        from trytond.modules.aishang_property.tools import search_any
        return search_any(clause, ['party.rec_name', 'resource.rec_name'])

    @classmethod
    def get_balance(cls, accounts, name):
        return cls.balances([a.id for a in accounts])

    @classmethod
    def balances(cls, ids):
        "Sum the moves of the accounts ids in SQL"
        Move = Pool().get('property.owner_account.move')
        move = Move.__table__()
        cursor = Transaction().connection.cursor()
        result = dict.fromkeys(ids, ZERO)
        for sub in grouped_slice(ids, in_max()):
            cursor.execute(*move.select(move.account, Sum(move.amount),
                    where=move.account.in_(list(sub)),
                    group_by=[move.account]))
            for account, amount in cursor:
                # SQLite sums Numeric columns as floats
                result[account] = Decimal(str(amount)).quantize(
                    Decimal('0.01'))
        return result

    @classmethod
    @ModelView.button
    def offset(cls, accounts):
        """Settle the open bills of prepayment accounts from their balance,
        oldest first, one receipt per account paid by the prepayment
        method (C3)."""
        pool = Pool()
        Bill = pool.get('property.bill')
        Receipt = pool.get('property.receipt')
        Method = pool.get('property.payment_method')
        Line = pool.get('property.receipt.line')
        Payment = pool.get('property.receipt.payment')
        accounts = [a for a in accounts if a.kind == 'prepayment']
        balances = cls.balances([a.id for a in accounts])
        receipts = []
        for account in accounts:
            balance = balances[account.id]
            methods = Method.search([
                    ('company', '=', account.company.id),
                    ('kind', '=', 'prepayment'),
                    ], limit=1)
            if balance <= 0 or not methods:
                continue
            domain = [
                ('project', '=', account.project.id),
                ('state', 'in', ['open', 'partial']),
                ('party', '=', account.party.id),
                ]
            if account.resource:
                domain.append(('resource', '=', account.resource.id))
            if account.applies_to:
                domain.append(('fee_item', '=', account.applies_to.id))
            bills = Bill.search(domain)
            dues = [Line.due_of(b) for b in bills]
            parts = settle.allocate_payment(dues, min(balance, sum(
                        (d.principal + d.late_fee for d in dues), ZERO)))
            lines = [{**Line.bill_values(b), 'kind': 'bill', 'bill': b.id,
                    'amount': p.principal + p.late_fee}
                for b, p in zip(bills, parts) if p.principal + p.late_fee]
            if not lines:
                continue
            receipts.append(Receipt(company=account.company,
                    project=account.project, resource=account.resource,
                    party=account.party,
                    lines=[Line(**l) for l in lines],
                    payments=[Payment(method=methods[0],
                            owner_account=account,
                            amount=sum(l['amount'] for l in lines))]))
        Receipt.save(receipts)
        Receipt.collect(receipts)
        return receipts

    @classmethod
    def cron_offset(cls):
        "Offset the prepayment accounts of the projects that ask for it"
        cls.offset(cls.search([
                    ('kind', '=', 'prepayment'),
                    ('project.prepayment_auto_offset', '=', True),
                    ]))

    @classmethod
    def find_or_create(cls, keys):
        """Return the account of each key, creating the missing ones.

        A key is (company, project, party, resource, kind, fee_item,
        applies_to) as ids or None.
        """
        fields_ = ['company', 'project', 'party', 'resource', 'kind',
            'fee_item', 'applies_to']
        found = {}
        for key in set(keys):
            domain = [(f, '=', v) for f, v in zip(fields_, key)]
            accounts = cls.search(domain, limit=1)
            if accounts:
                found[key] = accounts[0]
        missing = [k for k in set(keys) if k not in found]
        if missing:
            created = cls.create([dict(zip(fields_, k)) for k in missing])
            found.update(zip(missing, created))
        return [found[k] for k in keys]

    @classmethod
    def withdraw(cls, amounts, date, kind, **values):
        """Take amounts out of accounts, refusing to go below zero.

        amounts maps an account to the amount to take. The accounts are
        locked so that two receipts cannot spend the same balance.
        """
        Move = Pool().get('property.owner_account.move')
        cls.lock(list(amounts))
        balances = cls.balances([a.id for a in amounts])
        for account, amount in amounts.items():
            if amount > balances[account.id]:
                raise OwnerAccountError(gettext(
                        'aishang_cashier.msg_owner_account_insufficient',
                        account=account.rec_name,
                        balance=balances[account.id], amount=amount))
        return Move.create([{
                    'account': a.id, 'date': date, 'kind': kind,
                    'amount': -amount, **values}
                for a, amount in amounts.items() if amount])


class OwnerAccountMove(ModelSQL, ModelView):
    "A movement of an owner account: collected, offset, refunded, voided"
    __name__ = 'property.owner_account.move'
    account = fields.Many2One(
        'property.owner_account', "Account", required=True,
        ondelete='RESTRICT', readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    kind = fields.Selection([
            ('collect', "Collected"),
            ('offset', "Offset against Bills"),
            ('refund', "Refunded"),
            ('void', "Receipt Voided"),
            ], "Kind", required=True, readonly=True)
    kind_string = kind.translated('kind')
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, readonly=True,
        help="Positive when money comes in, negative when it goes out.")
    receipt = fields.Many2One(
        'property.receipt', "Receipt", readonly=True, ondelete='RESTRICT')
    refund = fields.Many2One(
        'property.refund', "Refund", readonly=True, ondelete='RESTRICT')
    description = fields.Char("Description", readonly=True)
    create_user = fields.Function(
        fields.Many2One('res.user', "User"), 'get_create_user')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('account')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.account, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    def get_create_user(self, name):
        return self.create_uid.id if self.create_uid else None
