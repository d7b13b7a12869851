# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Online payment of bills by the owner (O2, S1) over aishang_payment.

The endpoints answer only in a database where aishang_payment is
activated (404 otherwise). The amount is the server's (DOMAIN_RULES 16):
the client names bills and a channel, never a sum. The payment itself
completes when the channel notifies /aishang/pay/notify/<channel>; the
client then polls GET owner/payments/<id> until the order is paid and its
receipt is there.
"""
from trytond.exceptions import UserError
from trytond.i18n import gettext

from .api import (
    arr, boolean, endpoint, identifier, integer, nullable, obj, string)
from .exceptions import ConflictError, NotFoundError

PAYMENTS = ['payments']
ORDER_MODEL = 'property.payment.order'
CHANNELS = ['wechat', 'alipay', 'unionpay', 'sandbox']

ORDER_SCHEMA = obj({
        'id': integer(),
        'out_trade_no': string(),
        'state': string(description="pending, paid, failed, cancelled, "
            "expired or exception (paid, to be checked by the office)"),
        'state_string': string(),
        'channel': string(),
        'amount': string(description="Decimal as a string, yuan"),
        'expires_at': nullable(string()),
        'paid_at': nullable(string()),
        'receipt': nullable(string()),
        'receipt_id': nullable(integer()),
        'bills': arr(obj({
                    'id': integer(), 'number': string(),
                    'amount': string()}, additional=True)),
        }, additional=True)


@endpoint('GET', 'owner/payment-channels', tags=PAYMENTS, model=ORDER_MODEL,
    summary="The channels the owner can pay through, per project",
    response=obj({
            'channels': arr(obj({
                        'kind': string(enum=CHANNELS),
                        'name': string(),
                        'project_ids': arr(integer(), description="The "
                            "owner's projects whose bills it takes."),
                        })),
            }))
def payment_channels(ctx):
    """Those POST owner/payments accepts: for each project of the owner,
    the channel of each kind that Channel.find would take, when its
    payment method is offered in the project."""
    Channel = ctx.pool.get('property.payment.channel')
    projects = ctx.party.portal_projects()
    channels = Channel.search([
            ('company', 'in', list({p.company.id for p in projects})),
            ['OR', ('project', '=', None),
                ('project', 'in', [p.id for p in projects])],
            ], order=[('id', 'ASC')])
    kinds = {}
    for project in projects:
        for kind in CHANNELS:
            # the project's own channel wins over the company's (find)
            found = sorted((c for c in channels
                    if c.kind == kind and c.company == project.company
                    and c.project in {None, project}),
                key=lambda c: (c.project is None, c.id))
            if found and found[0].method.offered_in(project):
                entry = kinds.setdefault(kind, {
                        'kind': kind, 'name': found[0].name,
                        'project_ids': []})
                entry['project_ids'].append(project.id)
    return {'channels': [kinds[k] for k in CHANNELS if k in kinds]}


@endpoint('POST', 'owner/payments', tags=PAYMENTS, model=ORDER_MODEL,
    summary="Pay bills: a payment order and the channel's parameters",
    request=obj({
            'bill_ids': arr(identifier(), minItems=1, maxItems=50,
                uniqueItems=True),
            'channel': string(enum=CHANNELS),
            'openid': string(maxLength=128,
                description="WeChat payer, for the mini-program/JSAPI"),
            }, required=['bill_ids', 'channel']),
    response=obj({
            'order': ORDER_SCHEMA,
            'parameters': obj({}, additional=True,
                description="What the client passes to the channel: "
                "wx.requestPayment fields, the Alipay URL, the UnionPay "
                "form, or the sandbox pay URL"),
            'reused': boolean(),
            }),
    errors=['not_found', 'bill_not_payable', 'oldest_first',
        'payment_refused'],
    writes=True)
def create_payment(ctx):
    """Checks the bills as POST owner/bills/check does, then creates (or
    finds again, for the same bills and channel) a pending order."""
    Order = ctx.pool.get(ORDER_MODEL)
    bill_ids = ctx.body['bill_ids']
    ctx.party.portal_check_bills(bill_ids)
    client = {'ip': ctx.remote_addr}
    if ctx.body.get('openid'):
        client['openid'] = ctx.body['openid']
    elif ctx.web_user.wechat_openid:
        client['openid'] = ctx.web_user.wechat_openid
    pending = {o.id for o in Order.search([
                ('party', '=', ctx.party.id), ('state', '=', 'pending')])}
    try:
        order = Order.create_for_bills(
            ctx.party, bill_ids, ctx.body['channel'], client=client)
        parameters = order.channel_parameters()
    except UserError as exception:
        raise ConflictError(exception.message, code='payment_refused')
    return {'order': order.to_api(), 'parameters': parameters,
        'reused': order.id in pending}


@endpoint('GET', 'owner/payments/<int:order_id>', tags=PAYMENTS,
    model=ORDER_MODEL,
    summary="A payment order of the owner: its state and receipt",
    response=ORDER_SCHEMA, errors=['not_found'], writes=False)
def payment(ctx, order_id):
    Order = ctx.pool.get(ORDER_MODEL)
    orders = Order.search([
            ('id', '=', order_id), ('party', '=', ctx.party.id)], limit=1)
    if not orders:
        raise NotFoundError(gettext('aishang_portal.msg_order_not_found',
                id=order_id))
    return orders[0].to_api()
