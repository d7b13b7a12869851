# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Fixtures of the payment tests: channels, their keys and the server options"
import time
from contextlib import contextmanager

from trytond import backend
from trytond import config
from trytond.modules.aishang_billing.tests.tools import (
    ACCOUNTING_LOCKS, with_transaction)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, _DBTestCase
from trytond.transaction import Transaction, TransactionError

from trytond.modules.aishang_payment.channel import SECTION
from .keys import AlipayKeys, Files, SandboxKeys, UnionPayKeys, WeChatKeys

# The tables whose rows a payment locks, held from the start of a test:
# Tryton restarts a transaction for each lock asked for after it started
PAYMENT_LOCKS = ACCOUNTING_LOCKS + [
    'property_bill', 'property_project', 'ir_sequence_strict',
    'property_payment_order']


def payment_transaction(**kwargs):
    return with_transaction(locks=PAYMENT_LOCKS, **kwargs)


class PaymentTestCase(_DBTestCase):
    """A database with online payments activated and the server options of
    one channel of each kind (keys made for the run)"""
    module = 'aishang_payment'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keys = ChannelKeys()
        cls.enterClassContext(server_options(cls.keys.files.options))


class ChannelKeys:
    "Keys of a channel of each kind, and their server options"

    def __init__(self):
        self.files = Files()
        self.wechat = WeChatKeys(self.files)
        self.alipay = AlipayKeys(self.files)
        self.unionpay = UnionPayKeys(self.files)
        self.sandbox = SandboxKeys(self.files)


@contextmanager
def server_options(options, sandbox=True):
    "Set options in the [aishang_payment] section of the configuration"
    if not config.has_section(SECTION):
        config.add_section(SECTION)
    previous = {o: config.get(SECTION, o) for o in config.options(SECTION)}
    for option, value in options.items():
        config.set(SECTION, option, value)
    config.set(SECTION, 'sandbox', str(sandbox))
    try:
        yield
    finally:
        # an empty option counts as unset; set() clears trytond's cache
        for option in config.options(SECTION):
            config.set(SECTION, option, previous.get(option, ''))
        config.set(SECTION, 'sandbox', previous.get('sandbox', 'False'))


def setup_channels(company, setup, keys):
    """The payment methods and channels of company, by kind: the cashier's
    WeChat method, new ones for the others"""
    pool = Pool()
    Method = pool.get('property.payment_method')
    Channel = pool.get('property.payment.channel')
    bank = setup['accounts']['1002']
    methods = {'wechat': setup['methods']['wechat']}
    for code, name, kind in [('ZFB', "支付宝", 'alipay'),
            ('YL', "银联", 'unionpay'), ('SBX', "模拟支付", 'sandbox')]:
        methods[kind], = Method.create([{
                    'company': company.id, 'code': code, 'name': name,
                    'kind': kind, 'account': bank.id}])
    values = []
    for kind, name, key_set in [
            ('wechat', "微信支付", keys.wechat),
            ('alipay', "支付宝", keys.alipay),
            ('unionpay', "银联", keys.unionpay),
            ('sandbox', "模拟支付", keys.sandbox)]:
        settings = key_set.settings()
        values.append({
                'company': company.id, 'name': name, 'code': key_set.code,
                'kind': kind, 'method': methods[kind].id,
                'app_id': settings.app_id,
                'merchant_id': settings.merchant_id,
                'merchant_serial': settings.merchant_serial,
                'platform_key_id': settings.platform_key_id,
                })
    return {c.kind: c for c in Channel.create(values)}


def run_committed(func, context=None, attempts=200):
    """Run func in its own committed transaction as Tryton's dispatcher
    does: restarted with the locks it asks for, and tried again from the
    start while a lock is held by another transaction."""
    extras, count = {}, 0
    while True:
        try:
            with Transaction().start(DB_NAME, 0, context=context,
                    **extras) as transaction:
                try:
                    result = func()
                    transaction.commit()
                    return result
                except TransactionError as e:
                    transaction.rollback()
                    e.fix(extras)
                    continue
        except backend.DatabaseOperationalError:
            # a lock held by another transaction: start afresh, as a
            # channel sending its notice again would
            extras, count = {}, count + 1
            if count > attempts:
                raise
            time.sleep(0.02 + 0.001 * (count % 50))
