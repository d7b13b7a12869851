# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The owner API (O1, O2, O5, O6): thin handlers over the models.

Each handler finds its records through the owner's domains
(party.portal_*_domain), calls one model method and serializes. The owner
is always ctx.party, the party of the session's web user.
"""
import mimetypes
from urllib.parse import quote

from trytond.i18n import gettext
from trytond.modules.aishang_property.identity import mask_phone
from trytond.protocols.wrappers import Response

from . import serializers as s
from . import settings
from .api import (
    MAX_ID, Param, arr, endpoint, identifier, integer, obj, string)
from .exceptions import NotFoundError
from .wechat import WeChat

AUTH = ['auth']
OWNER = ['owner']
BILLS = ['bills']
RECEIPTS = ['receipts']
NOTICES = ['notices']
PHONE = string(minLength=1, maxLength=20, example='13800138000',
    description="A mainland mobile number; +86 and separators allowed.")
WX_CODE = string(minLength=1, maxLength=128,
    description="The code given by the mini-program.")
LIMIT = Param('limit', integer(minimum=1, maximum=100, default=20),
    "Page size.")
OFFSET = Param('offset', integer(minimum=0, maximum=MAX_ID, default=0),
    "Rows to skip.")


def not_found(message_id='aishang_portal.msg_api_not_found', **params):
    return NotFoundError(gettext(message_id, **params))


def _one(Model, record_id, domain, message_id):
    "The record of id in domain, else 404 whether it exists or not"
    records = Model.search([('id', '=', record_id), *domain], limit=1)
    if not records:
        raise not_found(message_id, id=record_id)
    return records[0]


# Types a browser would run as a page of the API's origin
ACTIVE_TYPES = {'text/html', 'application/xhtml+xml', 'image/svg+xml',
    'text/xml', 'application/xml', 'text/javascript'}


def download(data, filename, mimetype=None):
    mimetype = mimetype or mimetypes.guess_type(filename)[0] or (
        'application/octet-stream')
    if mimetype in ACTIVE_TYPES:
        mimetype = 'application/octet-stream'
    return Response(bytes(data), mimetype=mimetype, headers={
            'Content-Disposition':
            f"attachment; filename*=UTF-8''{quote(filename)}",
            'Cache-Control': 'private, no-store',
            'X-Content-Type-Options': 'nosniff',
            'Content-Security-Policy': "default-src 'none'; sandbox",
            })


# ---------------------------------------------------------------------------
# Login and verification

@endpoint('POST', 'owner/login/wechat', tags=AUTH, auth='none',
    summary="Sign in with the mini-program (wx.login code)",
    request=obj({'code': WX_CODE}, required=['code']),
    response=s.SESSION_SCHEMA,
    errors=['wechat_code_invalid', 'upstream_failed'])
def login_wechat(ctx):
    """Exchanges the code for the OpenID (code2Session) and opens a session.

    A first login creates the account; it is verified once the owner
    verifies a phone on file (owner/verify/*)."""
    WebUser = ctx.pool.get('web.user')
    openid, unionid = WeChat.from_config().code_to_session(ctx.body['code'])
    user = WebUser.portal_login_wechat(openid, unionid)
    token, expires_at = user.portal_new_session()
    return s.session(token, expires_at, user)


@endpoint('POST', 'owner/sms/send', tags=AUTH, auth='none',
    summary="Send a verification code by SMS",
    request=obj({'phone': PHONE}, required=['phone']),
    response=obj({
            'sent': {'type': 'boolean'},
            'expires_in': integer(description="Seconds the code is valid."),
            'resend_after': integer(
                description="Seconds before another code may be asked."),
            }),
    errors=['rate_limited', 'upstream_failed'])
def sms_send(ctx):
    """Sends a 6-digit code, whether or not the phone is on file (the
    answer does not tell). Limited per phone and per IP address."""
    SmsCode = ctx.pool.get('portal.sms_code')
    ttl = SmsCode.send(ctx.body['phone'], ctx.remote_addr)
    return {'sent': True, 'expires_in': ttl,
        'resend_after': settings.getint('sms_interval')}


VERIFY_ERRORS = ['phone_not_on_file', 'phone_ambiguous']


def _verified(ctx, phone, channel):
    WebUser = ctx.pool.get('web.user')
    user, verifications = WebUser.portal_verify(
        phone, channel, user=ctx.web_user)
    if ctx.token:
        token = ctx.token
        expires_at = WebUser.portal_session_expiry(token)
    else:
        token, expires_at = user.portal_new_session()
    linked = [r for v in verifications for r in v.linked_resources]
    return s.session(token, expires_at, user, linked)


@endpoint('POST', 'owner/verify/sms', tags=AUTH, auth='optional',
    summary="Verify a phone on file with its SMS code",
    request=obj({
            'phone': PHONE,
            'code': string(pattern=r'\d{6}', example='123456'),
            }, required=['phone', 'code']),
    response=s.SESSION_SCHEMA,
    errors=['code_invalid', 'code_expired', 'code_wrong', 'code_locked',
        *VERIFY_ERRORS])
def verify_sms(ctx):
    """Checks the code, records the verification (seen in the back office
    at once) and links the owner's resources.

    With a session (after a WeChat login) that account is bound to the
    owner and the same token stays valid; without one a session is
    opened for the phone's account."""
    SmsCode = ctx.pool.get('portal.sms_code')
    phone = SmsCode.verify(ctx.body['phone'], ctx.body['code'])
    return _verified(ctx, phone, 'sms')


@endpoint('POST', 'owner/verify/wechat-phone', tags=AUTH, auth='session',
    summary="Verify with the mini-program's phone-number button",
    request=obj({'code': WX_CODE}, required=['code']),
    response=s.SESSION_SCHEMA,
    errors=['wechat_code_invalid', 'upstream_failed', *VERIFY_ERRORS])
def verify_wechat_phone(ctx):
    """Gets the phone from WeChat (getuserphonenumber) with the code of
    the getPhoneNumber button, then verifies it as owner/verify/sms."""
    phone = WeChat.from_config().phone_number(ctx.body['code'])
    return _verified(ctx, phone, 'wechat_phone')


@endpoint('POST', 'owner/logout', tags=AUTH, auth='session',
    summary="End the session",
    response=obj({'logged_out': {'type': 'boolean'}}))
def logout(ctx):
    ctx.pool.get('web.user').portal_logout(ctx.token)
    return {'logged_out': True}


# ---------------------------------------------------------------------------
# Owner

@endpoint('GET', 'owner/me', tags=OWNER, auth='session',
    summary="The signed-in account and its owner",
    response=s.ME_SCHEMA)
def me(ctx):
    user, party = ctx.web_user, ctx.party
    result = {
        'verified': bool(party),
        'owner': s.owner(party),
        'wechat': bool(user.wechat_openid),
        'phone': mask_phone(user.phone) if user.phone else None,
        'verified_at': user.verified_at,
        'verified_with': user.verification_channel,
        'resource_count': 0,
        'unread_notices': 0,
        'unread_messages': 0,
        }
    if party:
        Notice = ctx.pool.get('property.notice')
        Read = ctx.pool.get('property.notice.read')
        notices = Notice.search(party.portal_notice_domain())
        result['resource_count'] = len(party.portal_resource_starts())
        result['unread_notices'] = len(notices) - len(
            Read.read_ids(notices, party))
        result['unread_messages'] = ctx.pool.get(
            'message.outbox').search_count(
            party.portal_inbox_domain(unread=True))
    return result


@endpoint('GET', 'owner/resources', tags=OWNER,
    summary="The owner's resources, with their project and building",
    response=obj({'resources': arr(s.RESOURCE_SCHEMA)}))
def resources(ctx):
    seen, result = set(), []
    for ownership in ctx.party.portal_ownerships():
        if ownership.resource.id not in seen:
            seen.add(ownership.resource.id)
            result.append(s.resource(ownership.resource, ownership))
    return {'resources': result}


# ---------------------------------------------------------------------------
# Bills (O2)

BILL_STATES = {
    'open': ['open', 'partial'],
    'paid': ['paid'],
    'all': ['open', 'partial', 'paid'],
    }


@endpoint('GET', 'owner/bills', tags=BILLS,
    summary="Bills grouped by resource and fee item, oldest first",
    query=[
        Param('state', string(enum=list(BILL_STATES), default='open'),
            "open (open and partly paid, the default), paid or all."),
        Param('resource', identifier(),
            "Only the bills of this resource of the owner."),
        Param('limit', integer(minimum=1, maximum=500, default=200),
            "Page size."),
        OFFSET,
        ],
    response=s.BILLS_SCHEMA,
    errors=['not_found'])
def bills(ctx):
    Bill = ctx.pool.get('property.bill')
    query = ctx.query
    domain = [*ctx.party.portal_bill_domain(),
        ('state', 'in', BILL_STATES[query['state']])]
    if query['resource']:
        if query['resource'] not in ctx.party.portal_resource_starts():
            raise not_found('aishang_portal.msg_resource_not_found',
                id=query['resource'])
        domain.append(('resource', '=', query['resource']))
    rows = s.read_bills(Bill.search(domain,
            order=[('period_start', 'ASC NULLS FIRST'), ('id', 'ASC')]))
    page = rows[query['offset']:query['offset'] + query['limit']]
    return {
        'state': query['state'],
        'resources': s.bill_groups(page),
        'totals': s.totals(rows),
        'total_count': len(rows),
        'limit': query['limit'],
        'offset': query['offset'],
        }


@endpoint('GET', 'owner/bills/<int:bill_id>', tags=BILLS,
    summary="A bill with its adjustments",
    response=s.BILL_DETAIL_SCHEMA,
    errors=['not_found'])
def bill(ctx, bill_id):
    Bill = ctx.pool.get('property.bill')
    record = _one(Bill, bill_id, ctx.party.portal_bill_domain(),
        'aishang_portal.msg_bill_not_found')
    return s.bill_detail(record)


@endpoint('POST', 'owner/bills/check', tags=BILLS,
    summary="Check bills to pay together; the server's amount due",
    request=obj({
            'bill_ids': arr(identifier(), minItems=1, maxItems=50,
                uniqueItems=True),
            }, required=['bill_ids']),
    response=s.CHECK_SCHEMA,
    errors=['not_found', 'bill_not_payable', 'oldest_first'],
    writes=False)
def bills_check(ctx):
    """Refuses (409 oldest_first, naming the older bill) a later bill of a
    resource and fee item paid while an older one stays open. The total
    is what a payment of these bills will charge (DOMAIN_RULES 16).

    Payments (POST owner/payments) call the same check; see
    docs/owner-api.md."""
    records, total = ctx.party.portal_check_bills(ctx.body['bill_ids'])
    return {'bills': s.bills(s.read_bills(records)),
        'total': s.amount(total),
        'currency': 'CNY'}


# ---------------------------------------------------------------------------
# Receipts (O6)

@endpoint('GET', 'owner/receipts', tags=RECEIPTS,
    summary="Payment history: the owner's receipts, newest first",
    query=[LIMIT, OFFSET],
    response=obj({
            'receipts': arr(s.RECEIPT_SCHEMA),
            'total_count': integer(),
            }))
def receipts(ctx):
    Receipt = ctx.pool.get('property.receipt')
    domain = ctx.party.portal_receipt_domain()
    records = Receipt.search(domain, offset=ctx.query['offset'],
        limit=ctx.query['limit'], order=[('date', 'DESC'), ('id', 'DESC')])
    return {
        'receipts': [s.receipt(r) for r in records],
        'total_count': Receipt.search_count(domain),
        }


@endpoint('GET', 'owner/receipts/<int:receipt_id>', tags=RECEIPTS,
    summary="A receipt with its lines and payments",
    response=s.RECEIPT_DETAIL_SCHEMA,
    errors=['not_found'])
def receipt(ctx, receipt_id):
    pool = ctx.pool
    Receipt = pool.get('property.receipt')
    Bill = pool.get('property.bill')
    record = _one(Receipt, receipt_id, ctx.party.portal_receipt_domain(),
        'aishang_portal.msg_receipt_not_found')
    bill_ids = [l.bill.id for l in record.lines if l.bill]
    visible = {b.id for b in Bill.search([('id', 'in', bill_ids),
                *ctx.party.portal_bill_domain()])} if bill_ids else set()
    return s.receipt_detail(record, visible)


@endpoint('GET', 'owner/receipts/<int:receipt_id>/pdf', tags=RECEIPTS,
    summary="The electronic receipt (PDF)",
    produces='application/pdf', errors=['not_found'], writes=True)
def receipt_pdf(ctx, receipt_id):
    """The cashier's receipt report: every print is counted, so a later
    print marks the receipt as a copy (补打)."""
    pool = ctx.pool
    Receipt = pool.get('property.receipt')
    Report = pool.get('property.receipt', type='report')
    record = _one(Receipt, receipt_id, ctx.party.portal_receipt_domain(),
        'aishang_portal.msg_receipt_not_found')
    extension, content, _, _ = Report.execute([record.id], {})
    return download(content, f'{record.number}.{extension}',
        'application/pdf' if extension == 'pdf' else None)


# ---------------------------------------------------------------------------
# Notices (O5)

@endpoint('GET', 'owner/notices', tags=NOTICES,
    summary="Notices for the owner's projects, pinned first",
    query=[LIMIT, OFFSET,
        Param('unread', {'type': 'boolean'}, "Only the unread ones.")],
    response=obj({
            'notices': arr(s.NOTICE_SCHEMA),
            'total_count': integer(),
            'unread_count': integer(),
            }))
def notices(ctx):
    Notice = ctx.pool.get('property.notice')
    Read = ctx.pool.get('property.notice.read')
    records = Notice.search(ctx.party.portal_notice_domain(),
        order=[('pinned', 'DESC'), ('publish_start', 'DESC'),
            ('id', 'DESC')])
    read = Read.read_ids(records, ctx.party)
    unread_count = len([r for r in records if r.id not in read])
    if ctx.query['unread']:
        records = [r for r in records if r.id not in read]
    offset = ctx.query['offset']
    page = records[offset:offset + ctx.query['limit']]
    return {
        'notices': [s.notice(r, r.id in read) for r in page],
        'total_count': len(records),
        'unread_count': unread_count,
        }


def _notice(ctx, notice_id):
    Notice = ctx.pool.get('property.notice')
    return _one(Notice, notice_id, ctx.party.portal_notice_domain(),
        'aishang_portal.msg_notice_not_found')


def _attachments(ctx, record):
    Attachment = ctx.pool.get('ir.attachment')
    return Attachment.search([
            ('resource', '=', str(record)),
            ('type', '=', 'data'),
            ], order=[('id', 'ASC')])


@endpoint('GET', 'owner/notices/<int:notice_id>', tags=NOTICES,
    summary="A notice; marks it read",
    response=s.NOTICE_DETAIL_SCHEMA, errors=['not_found'], writes=True)
def notice(ctx, notice_id):
    record = _notice(ctx, notice_id)
    ctx.pool.get('property.notice.read').mark(record, ctx.party)
    return s.notice_detail(record, _attachments(ctx, record))


@endpoint('GET', 'owner/notices/<int:notice_id>/attachments/'
    '<int:attachment_id>', tags=NOTICES,
    summary="A file attached to a notice",
    produces=['*/*'], errors=['not_found'])
def notice_attachment(ctx, notice_id, attachment_id):
    record = _notice(ctx, notice_id)
    for attachment in _attachments(ctx, record):
        if attachment.id == attachment_id:
            return download(attachment.data or b'', attachment.name)
    raise not_found('aishang_portal.msg_attachment_not_found',
        id=attachment_id)


# ---------------------------------------------------------------------------
# Payments (O2) are declared by the lead on aishang_payment:
#   POST owner/payments {bill_ids, channel} ->
#       bills, total = ctx.party.portal_check_bills(bill_ids)
#       order = Order.create_for_bills(ctx.party, bill_ids, channel, client)
#       return order.channel_parameters()
# See docs/owner-api.md "Payments".
