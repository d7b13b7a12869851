# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import re
from contextlib import contextmanager

from trytond import config
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .channel_base import (
    ADAPTERS, ChannelConfigError, ChannelError, ChannelSettings, get_adapter)
from .exceptions import ChannelValidationError, PaymentChannelError

SECTION = 'aishang_payment'
KINDS = [
    ('wechat', "WeChat Pay"),
    ('alipay', "Alipay"),
    ('unionpay', "UnionPay"),
    ('sandbox', "Sandbox (Demo)"),
    ]
# The server configuration options each kind reads, prefixed by the code;
# the first of a "|" group that is set is used
OPTIONS = {
    'wechat': ['private_key_path', 'apiv3_key',
        'platform_public_key_path|platform_cert_dir'],
    'alipay': ['app_private_key_path', 'alipay_public_key_path'],
    'unionpay': ['sign_cert_path', 'sign_cert_password', 'root_cert_path',
        'middle_cert_path'],
    'sandbox': ['secret_path|secret'],
    }
CODE = re.compile(r'^[a-z][a-z0-9_]{0,31}$')


def setting(option):
    "An option of the [aishang_payment] section of the server configuration"
    return config.get(SECTION, option, default=None)


def sandbox_enabled():
    return config.getboolean(SECTION, 'sandbox', default=False)


@contextmanager
def channel_errors(channel):
    "Turn the adapters' errors into messages for the user"
    try:
        yield
    except ChannelConfigError as exception:
        raise PaymentChannelError(gettext(
                'aishang_payment.msg_channel_option_missing',
                channel=channel.rec_name, option=exception.args[0],
                section=SECTION)) from exception
    except ChannelError as exception:
        raise PaymentChannelError(gettext(
                'aishang_payment.msg_channel_refused',
                channel=channel.rec_name,
                reason=str(exception))) from exception


class Channel(DeactivableMixin, ModelSQL, ModelView):
    """An account with a payment service (WeChat Pay, Alipay, UnionPay, the
    sandbox). Identifiers are kept here; keys and secrets only in the
    server configuration."""
    __name__ = 'property.payment.channel'
    __string__ = "Payment Channel"
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True, strip=True,
        help="Lower-case letters, digits and _: names the channel in the "
        "notification URL and prefixes its options in the server "
        "configuration.")
    company = fields.Many2One('company.company', "Company", required=True)
    project = fields.Many2One(
        'property.project', "Project",
        domain=[('company', '=', Eval('company', -1))],
        help="The project whose owners pay through the channel; all the "
        "projects of the company when empty.")
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    method = fields.Many2One(
        'property.payment_method', "Payment Method", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('kind', '=', Eval('kind')),
            ],
        help="The cashier's method the receipts of the channel are paid by; "
        "its account receives the money.")
    app_id = fields.Char("App ID", strip=True,
        help="WeChat: the mini-program or official account AppID; Alipay: "
        "the application APPID.")
    merchant_id = fields.Char("Merchant ID", strip=True,
        states={'required': Eval('kind') != 'sandbox'},
        help="WeChat: mchid; Alipay: seller id (2088…); UnionPay: merId.")
    merchant_serial = fields.Char("Merchant Certificate Serial", strip=True,
        states={
            'invisible': Eval('kind') != 'wechat',
            'required': Eval('kind') == 'wechat',
            },
        help="The serial number of the merchant API certificate.")
    platform_key_id = fields.Char("Platform Key ID", strip=True,
        states={'invisible': ~Eval('kind').in_(['wechat', 'sandbox'])},
        help="WeChat: the id of the WeChat Pay public key (PUB_KEY_ID_…); "
        "empty when platform certificates are used.")
    test_mode = fields.Boolean("Test Environment",
        states={'invisible': ~Eval('kind').in_(['alipay', 'unionpay'])},
        help="Use the channel's test gateway.")
    expiry = fields.Integer("Time to Pay", required=True,
        domain=[('expiry', '>=', 5), ('expiry', '<=', 120)],
        help="Minutes an owner has to pay an order.")
    notify_url = fields.Function(
        fields.Char("Notification URL"), 'get_notify_url')
    settings_status = fields.Function(
        fields.Text("Server Settings"), 'get_settings_status')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_uniq', Unique(t, t.code),
                'aishang_payment.msg_channel_code_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_expiry():
        return 30

    @staticmethod
    def default_test_mode():
        return False

    @classmethod
    def validate_fields(cls, channels, field_names):
        super().validate_fields(channels, field_names)
        for channel in channels:
            if not CODE.match(channel.code or ''):
                raise ChannelValidationError(gettext(
                        'aishang_payment.msg_channel_code_invalid',
                        code=channel.code))
            if channel.method.kind != channel.kind:
                raise ChannelValidationError(gettext(
                        'aishang_payment.msg_channel_method_kind',
                        channel=channel.rec_name,
                        method=channel.method.rec_name))

    def get_notify_url(self, name=None):
        "The URL the channel posts its notifications to"
        base = (setting('public_url') or '').rstrip('/')
        database = Transaction().database.name
        return f'{base}/{database}/aishang/pay/notify/{self.code}'

    def get_pay_url(self):
        "The sandbox's pretend payment page calls this URL"
        database = Transaction().database.name
        return f'/{database}/aishang/pay/sandbox/{{out_trade_no}}/pay'

    def get_settings_status(self, name):
        "Which server options are set (never their values)"
        lines = []
        for group in OPTIONS.get(self.kind, []):
            options = [f'{self.code}_{o}' for o in group.split('|')]
            found = next((o for o in options if setting(o)), None)
            mark = '✓' if found else '✗'
            lines.append(f"{mark} {found or ' | '.join(options)}")
        if self.kind == 'sandbox':
            lines.append(f"{'✓' if sandbox_enabled() else '✗'} sandbox")
        return f'[{SECTION}]\n' + '\n'.join(lines)

    def settings(self):
        return ChannelSettings(self.code, self.kind, setting,
            app_id=self.app_id, merchant_id=self.merchant_id,
            merchant_serial=self.merchant_serial,
            platform_key_id=self.platform_key_id,
            test_mode=bool(self.test_mode),
            notify_url=self.get_notify_url(),
            pay_url=self.get_pay_url())

    def get_adapter(self):
        if self.kind == 'sandbox' and not sandbox_enabled():
            raise PaymentChannelError(gettext(
                    'aishang_payment.msg_channel_sandbox_disabled',
                    channel=self.rec_name, section=SECTION))
        return get_adapter(self.settings())

    @classmethod
    def from_code(cls, code):
        "The active channel of code, or None"
        if not isinstance(code, str) or not CODE.match(code):
            return None
        channels = cls.search([('code', '=', code)], limit=1)
        return channels[0] if channels else None

    @classmethod
    def kinds_for(cls, project):
        "The kinds the owners of project may pay by, for the owner app"
        channels = cls.search([
                ('company', '=', project.company.id),
                ['OR', ('project', '=', None),
                    ('project', '=', project.id)],
                ])
        return sorted({c.kind for c in channels
                if c.kind != 'sandbox' or sandbox_enabled()},
            key=[k for k, _ in KINDS].index)

    @classmethod
    def find(cls, project, channel):
        """The channel the owners of project pay by: channel is a channel,
        its id, its code or a kind; one of the project wins over one of the
        whole company."""
        if isinstance(channel, cls):
            channel = channel.id
        if isinstance(channel, int):
            domain = [('id', '=', channel)]
        elif channel in ADAPTERS:
            domain = [('kind', '=', channel)]
        else:
            domain = [('code', '=', channel)]
        channels = cls.search(domain + [
                ('company', '=', project.company.id),
                ['OR', ('project', '=', None),
                    ('project', '=', project.id)],
                ])
        channels.sort(key=lambda c: (c.project is None, c.id))
        if not channels:
            raise PaymentChannelError(gettext(
                    'aishang_payment.msg_channel_not_found',
                    channel=channel, project=project.rec_name))
        return channels[0]
