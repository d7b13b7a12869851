# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""HTTP endpoints of the payment channels.

POST /<database>/aishang/pay/notify/<channel code>: the channels'
notifications, answered as each channel expects.
POST /<database>/aishang/pay/sandbox/<out_trade_no>/pay?token=…: the
sandbox "pays" an order: it signs its notification and hands it to the
same handler (only when the server configuration enables the sandbox).
"""
import json
from http import HTTPStatus

from werkzeug.exceptions import abort

from trytond.protocols.wrappers import Response, with_pool, with_transaction
from trytond.wsgi import app

from .channel import sandbox_enabled


def _model(pool, name):
    # routes are global: the module may not be activated in this database
    try:
        return pool.get(name)
    except KeyError:
        abort(HTTPStatus.NOT_FOUND)


@app.route('/<database_name>/aishang/pay/notify/<channel>', methods={'POST'})
@with_pool
@with_transaction(context={'_skip_warnings': True})
def notify(request, pool, channel):
    Order = _model(pool, 'property.payment.order')
    status, body, content_type = Order.process_notification(
        channel, dict(request.headers), request.get_data())
    return Response(body, status=status, content_type=content_type)


@app.route('/<database_name>/aishang/pay/sandbox/<out_trade_no>/pay',
    methods={'POST'})
@with_pool
@with_transaction(context={'_skip_warnings': True})
def sandbox_pay(request, pool, out_trade_no):
    from .order import utcnow
    if not sandbox_enabled():
        abort(HTTPStatus.NOT_FOUND)
    Order = _model(pool, 'property.payment.order')
    orders = Order.search([
            ('out_trade_no', '=', out_trade_no),
            ('channel.kind', '=', 'sandbox'),
            ], limit=1)
    if not orders:
        abort(HTTPStatus.NOT_FOUND)
    order, = orders
    token = request.args.get('token')
    if not token and request.is_json:
        token = (request.get_json(silent=True) or {}).get('token')
    adapter = order.channel.get_adapter()
    if not adapter.check_pay_token(order.out_trade_no, token):
        abort(HTTPStatus.FORBIDDEN)
    headers, body = adapter.notification(order.payment_info(), utcnow())
    status, reply, _ = Order.process_notification(
        order.channel.code, headers, body)
    order = Order(order.id)
    return Response(json.dumps({
                'reply': json.loads(reply),
                'order': order.to_api(),
                }, ensure_ascii=False), status=status,
        content_type='application/json')
