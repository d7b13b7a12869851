# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""What every payment channel adapter shares (no Pool, no Transaction).

An adapter turns our order into what its channel needs (a prepay id, a
signed order string, a signed form), checks and decodes the channel's
notifications into a Notice, queries and closes orders and reads the
channel's statement. Methods named ``_api_*`` are the network edge: the
only thing tests may replace.
"""
import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import Decimal

CENT = Decimal('0.01')
# Notifications signed longer ago (or further ahead) than this are refused
MAX_AGE = dt.timedelta(minutes=5)
# China Standard Time: the channels' local times (no daylight saving)
CST = dt.timezone(dt.timedelta(hours=8), 'CST')

# kind -> "module:Class"; imported when first used so that a channel's
# library is needed only where that channel is set up
ADAPTERS = {
    'wechat': 'channel_wechat:WeChatAdapter',
    'alipay': 'channel_alipay:AlipayAdapter',
    'unionpay': 'channel_unionpay:UnionPayAdapter',
    'sandbox': 'channel_sandbox:SandboxAdapter',
    }


class NotificationError(Exception):
    "A notification that must not be processed; args[0] says why"


class ChannelError(Exception):
    "The channel refused a request or could not be reached"


class ChannelConfigError(Exception):
    "A setting of the channel is missing; args[0] names the option"


@dataclass(frozen=True)
class Notice:
    "A checked notification or query answer of a channel"
    out_trade_no: str
    amount: Decimal
    status: str  # 'paid', 'pending' or 'closed'
    transaction_id: str = None
    timestamp: dt.datetime = None  # when the channel signed it, if it says
    merchant_id: str = None
    app_id: str = None
    raw: dict = field(default_factory=dict, compare=False)


@dataclass
class OrderInfo:
    "What an adapter needs to know of an order"
    out_trade_no: str
    amount: Decimal
    description: str
    created: dt.datetime  # aware
    expires: dt.datetime  # aware
    openid: str = None
    client_ip: str = None
    return_url: str = None
    data: dict = field(default_factory=dict)  # what prepare() returned


@dataclass(frozen=True)
class StatementRow:
    "One successful payment of a channel statement"
    out_trade_no: str
    amount: Decimal
    transaction_id: str = None
    line: int = None


class ChannelSettings:
    """The settings of one channel: identifiers from the database, secrets
    and key files from the server configuration (lookup(name) -> str)."""

    def __init__(self, code, kind, lookup, app_id=None, merchant_id=None,
            merchant_serial=None, platform_key_id=None, test_mode=False,
            notify_url=None, pay_url=None):
        self.code = code
        self.kind = kind
        self.lookup = lookup
        self.app_id = app_id
        self.merchant_id = merchant_id
        self.merchant_serial = merchant_serial
        self.platform_key_id = platform_key_id
        self.test_mode = test_mode
        self.notify_url = notify_url
        self.pay_url = pay_url

    def option(self, name):
        "The configuration option of this channel called name"
        return f'{self.code}_{name}'

    def get(self, name, required=True):
        value = self.lookup(self.option(name))
        if required and not value:
            raise ChannelConfigError(self.option(name))
        return value

    def read(self, name, required=True, mode='r'):
        "The content of the file whose path is the option name"
        path = self.get(name, required=required)
        if not path:
            return None
        try:
            with open(path, mode) as file:
                return file.read()
        except OSError:
            raise ChannelConfigError(self.option(name))


class Adapter:
    "The base of channel adapters"
    kind = None
    # what the notification's HTTP reply carries
    content_type = 'application/json'

    def __init__(self, settings):
        self.settings = settings

    # order
    def prepare(self, order):
        """Register order with the channel when it needs it; return the
        data to keep on the order (e.g. WeChat's prepay id)."""
        return {}

    def client_parameters(self, order):
        "The dict the owner's client needs to pay order"
        raise NotImplementedError

    def query(self, order):
        "Ask the channel how order stands: a Notice, or None if unknown"
        return None

    def close(self, order):
        "Tell the channel that order may no longer be paid"

    # notification
    def parse_notification(self, headers, body, now):
        """Check the signature and freshness of a notification and decode
        it: a Notice, or NotificationError."""
        raise NotImplementedError

    def reply(self, success, message='', status=None):
        """(HTTP status, body, content type) the channel expects; status
        overrides the failure status (500 for our own errors)"""
        raise NotImplementedError

    # statement
    def parse_statement(self, data):
        "The successful payments of a statement file (bytes)"
        from .statement import parse_statement
        return parse_statement(data)

    def check_notice(self, notice, amount):
        """Refuse a notice for another merchant or application, or whose
        amount is not the order's amount (DOMAIN_RULES 17)."""
        settings = self.settings
        if (settings.merchant_id and notice.merchant_id
                and notice.merchant_id != settings.merchant_id):
            raise NotificationError('merchant id')
        if (settings.app_id and notice.app_id
                and notice.app_id != settings.app_id):
            raise NotificationError('app id')
        if notice.amount != amount:
            raise NotificationError('amount')

    def check_fresh(self, timestamp, now):
        if timestamp is None:
            raise NotificationError('timestamp missing')
        if abs(now - timestamp) > MAX_AGE:
            raise NotificationError('stale timestamp')


def adapter_class(kind):
    module_name, class_name = ADAPTERS[kind].split(':')
    module = importlib.import_module(f'{__package__}.{module_name}')
    return getattr(module, class_name)


def get_adapter(settings):
    return adapter_class(settings.kind)(settings)


def to_fen(amount):
    "Integer fen of a Decimal amount in yuan"
    amount = Decimal(amount)
    if amount != amount.quantize(CENT):
        raise ValueError(f'{amount} is not a whole number of fen')
    return int(amount * 100)


def from_fen(fen):
    return (Decimal(int(fen)) / 100).quantize(CENT)


def parse_amount(text):
    "A Decimal amount in yuan from text such as '205.85'"
    try:
        amount = Decimal(str(text).strip())
    except ArithmeticError:
        raise NotificationError('amount unreadable')
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise NotificationError('amount unreadable')
    return amount.quantize(CENT)


def header(headers, name):
    "A header's value, whatever the spelling of its name"
    wanted = name.lower().replace('_', '-')
    for key, value in headers.items():
        key = key.lower().replace('_', '-')
        if key.startswith('http-'):
            key = key[len('http-'):]
        if key == wanted:
            return value
    return None
