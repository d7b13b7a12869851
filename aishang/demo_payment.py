# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Demo online payments: the sandbox channel the H5 demo pays through.

The demo's server configuration (aishang.cli.write_demo_config) enables the
sandbox and points it at a secret generated once in the demo's var
directory (:func:`sandbox_options`). populate_payment(pool, company) adds
the sandbox payment method and channel when aishang_payment is activated;
nothing is created when the company has a sandbox channel.
"""
from pathlib import Path

CHANNEL_CODE = 'sandbox'
SECRET_FILE = 'sandbox-pay.key'
BANK_ACCOUNT = '1002'


def sandbox_options(var_dir):
    """The [aishang_payment] options of the demo; the sandbox secret is
    generated in var_dir the first time."""
    secret = Path(var_dir) / SECRET_FILE
    if not secret.exists():
        import secrets
        secret.write_text(secrets.token_hex(32) + '\n', encoding='utf-8')
        secret.chmod(0o600)
    return {
        'sandbox': 'True',
        f'{CHANNEL_CODE}_secret_path': str(secret),
        }


def populate_payment(pool, company):
    "Add the sandbox method and channel of company unless it has them"
    from trytond.transaction import Transaction
    Channel = pool.get('property.payment.channel')
    Method = pool.get('property.payment_method')
    Account = pool.get('account.account')
    with Transaction().set_context(company=company.id):
        if Channel.search([('code', '=', CHANNEL_CODE)], limit=1):
            return
        accounts = Account.search([
                ('company', '=', company.id),
                ('code', '=', BANK_ACCOUNT)], limit=1)
        if not accounts:
            return
        method, = Method.create([{
                    'company': company.id, 'code': 'MN', 'sequence': 90,
                    'name': '模拟支付（演示）', 'kind': 'sandbox',
                    'account': accounts[0].id}])
        Channel.create([{
                    'company': company.id, 'code': CHANNEL_CODE,
                    'name': '模拟支付（演示）', 'kind': 'sandbox',
                    'method': method.id, 'merchant_id': 'DEMO',
                    'expiry': 30}])
