# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The owner's in-app messages (S6): what the outbox sent to the owner
through its ``in_app`` channel — overdue reminders, pushed notices —
newest first, with their read status.

The outbox's in-app channel sends nothing itself (aishang_message): a
message is delivered when it is sent, and the app reads it here. The owner
is ctx.party; another owner's message answers 404 as an unknown one.
"""
from trytond.i18n import gettext

from .api import (
    Param, arr, boolean, component, datetime, endpoint, integer, nullable,
    obj, string)
from .exceptions import NotFoundError
from .routes import LIMIT, OFFSET

MESSAGES = ['messages']
OUTBOX = 'message.outbox'
# What a message is about, for the app to link to it
TOPICS = {
    'property.notice': 'notice',
    'property.reminder': 'bills',
    }

MESSAGE_SCHEMA = component('InAppMessage', obj({
            'id': integer(),
            'subject': nullable(string()),
            'body': nullable(string()),
            'date': nullable(datetime(description="When it was sent.")),
            'read': boolean(),
            'topic': nullable(string(enum=sorted(set(TOPICS.values())),
                description="notice: open notice_id; bills: the bills")),
            'notice_id': nullable(integer()),
            }, required=['id', 'read']))


def message(record):
    origin = record.origin
    model = origin.__name__ if origin else None
    return {
        'id': record.id,
        'subject': record.subject,
        'body': record.body,
        'date': record.sent_date,
        'read': record.read_date is not None,
        'topic': TOPICS.get(model),
        'notice_id': origin.id if model == 'property.notice' else None,
        }


@endpoint('GET', 'owner/messages', tags=MESSAGES, model=OUTBOX,
    summary="The owner's in-app messages, newest first",
    query=[LIMIT, OFFSET,
        Param('unread', {'type': 'boolean'}, "Only the unread ones.")],
    response=obj({
            'messages': arr(MESSAGE_SCHEMA),
            'total_count': integer(),
            'unread_count': integer(),
            }))
def messages(ctx):
    Outbox = ctx.pool.get(OUTBOX)
    domain = ctx.party.portal_inbox_domain(unread=ctx.query['unread'])
    records = Outbox.search(domain, ctx.query['offset'], ctx.query['limit'],
        order=[('sent_date', 'DESC'), ('id', 'DESC')])
    return {
        'messages': [message(r) for r in records],
        'total_count': Outbox.search_count(domain),
        'unread_count': Outbox.search_count(
            ctx.party.portal_inbox_domain(unread=True)),
        }


@endpoint('POST', 'owner/messages/<int:message_id>/read', tags=MESSAGES,
    model=OUTBOX, summary="Mark an in-app message read",
    request=obj({}), response=obj({'message': MESSAGE_SCHEMA}), errors=['not_found'])
def read_message(ctx, message_id):
    Outbox = ctx.pool.get(OUTBOX)
    records = Outbox.search(
        [('id', '=', message_id), *ctx.party.portal_inbox_domain()],
        limit=1)
    if not records:
        raise NotFoundError(gettext('aishang_portal.msg_message_not_found',
                id=message_id))
    Outbox.mark_read(records)
    return {'message': message(records[0])}


@endpoint('POST', 'owner/messages/read-all', tags=MESSAGES, model=OUTBOX,
    summary="Mark every in-app message read",
    request=obj({}), response=obj({'marked': integer()}))
def read_all_messages(ctx):
    Outbox = ctx.pool.get(OUTBOX)
    records = Outbox.search(ctx.party.portal_inbox_domain(unread=True))
    Outbox.mark_read(records)
    return {'marked': len(records)}
