# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The outbox: every message to an owner or staff member, one row each.

Sending is at least once, never twice at the same time. The rows being
sent are locked for the whole delivery: ``SELECT … FOR UPDATE SKIP LOCKED``
on PostgreSQL, so a second cron worker (or a "Send now" click) skips them
and takes the next ones; on SQLite, which has no row locks, a write is
made before the rows are read, which takes the database's single write
lock. Only rows still queued once locked are sent. The cron commits after
each batch, so a crash can re-send at most the batch in flight.
"""
import datetime as dt
import logging
from collections import defaultdict
from functools import wraps

from sql import Literal, Null

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import MessageDeleteError, MessageTransitionError
from .tools import in_max

# The channel senders log here; the console channel is this logger.
logger = logging.getLogger(__package__)

STATES = [
    ('queued', "Queued"),
    ('sent', "Sent"),
    ('failed', "Failed"),
    ('cancelled', "Cancelled"),
    ]
BACKOFF = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(days=1)
BATCH_SIZE = 100


def backoff(attempts):
    """The wait after the attempts-th failed attempt (counted from 1).

    One minute, doubled after each further failure, at most a day:
    1, 2, 4, 8 … minutes.
    """
    # 2 ** 11 minutes is more than a day; stop before huge numbers
    exponent = min(max(attempts - 1, 0), 11)
    return min(BACKOFF * 2 ** exponent, BACKOFF_MAX)


def error_text(exception):
    "The text kept in last_error for an exception of a sender"
    if isinstance(exception, UserError):
        return exception.message
    return f'{exception.__class__.__name__}: {exception}'


def refuse_illegal(state, message_id):
    """Raise for the records a transition to state does not apply to.

    Workflow.transition skips them silently; the caller of retry or cancel
    must learn that, say, a sent message cannot be cancelled.
    """
    def decorator(func):
        @wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            for record in records:
                if (record.state != state
                        and (record.state, state) not in cls._transitions):
                    raise MessageTransitionError(gettext(message_id,
                            message=record.rec_name,
                            state=record.state_string))
            return func(cls, records, *args, **kwargs)
        return wrapper
    return decorator


class Outbox(Workflow, ModelSQL, ModelView):
    "A message to one recipient through one channel, kept as evidence"
    __name__ = 'message.outbox'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    channel = fields.Selection([
            ('console', "Console"),
            ('in_app', "In-App"),
            ], "Channel", required=True, readonly=True,
        help="How the message is delivered.")
    channel_string = channel.translated('channel')
    party = fields.Many2One(
        'party.party', "Recipient", readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    address = fields.Char(
        "Address", readonly=True,
        help="Where the channel delivers: a phone number, an OpenID or a "
        "user login.")
    subject = fields.Char("Subject", readonly=True)
    body = fields.Text("Body", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    attempts = fields.Integer(
        "Attempts", readonly=True, required=True,
        help="The deliveries tried since the message was last queued.")
    max_attempts = fields.Integer(
        "Maximum Attempts", readonly=True, required=True,
        domain=[('max_attempts', '>', 0)],
        help="The message fails after this many unsuccessful attempts.")
    next_attempt = fields.DateTime(
        "Next Attempt", readonly=True,
        help="When the message is sent or tried again.")
    sent_date = fields.DateTime("Sent", readonly=True)
    last_error = fields.Text("Last Error", readonly=True)
    origin = fields.Reference(
        "Origin", selection='get_origin', readonly=True,
        help="The document the message is about.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                # The cron query: due queued messages, oldest first
                Index(t, (t.next_attempt, Index.Range()),
                    where=t.state == 'queued'),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.origin, Index.Equality())),
                Index(t, (t.party, Index.Equality())),
                })
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('queued', 'sent'),
            ('queued', 'failed'),
            ('queued', 'cancelled'),
            ('failed', 'queued'),
            ('failed', 'cancelled'),
            }
        cls._buttons.update({
                'send': {
                    'invisible': Eval('state') != 'queued',
                    'depends': ['state'],
                    },
                'retry': {
                    'invisible': Eval('state') != 'failed',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['queued', 'failed']),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_channel():
        # Outside production nothing leaves the server by default
        return 'console'

    @staticmethod
    def default_state():
        return 'queued'

    @staticmethod
    def default_attempts():
        return 0

    @staticmethod
    def default_max_attempts():
        return 5

    @staticmethod
    def default_next_attempt():
        return dt.datetime.now()

    @classmethod
    def _get_origins(cls):
        'Return list of Model names for origin Reference'
        return []

    @classmethod
    def get_origin(cls):
        IrModel = Pool().get('ir.model')
        get_name = IrModel.get_name
        return [(None, '')] + [(m, get_name(m)) for m in cls._get_origins()]

    def get_rec_name(self, name):
        return self.subject or self.address or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('subject', operator, operand, *extra),
            ('address', operator, operand, *extra),
            ]

    @classmethod
    def copy(cls, messages, default=None):
        default = default.copy() if default is not None else {}
        for field in ['sent_date', 'last_error', 'next_attempt']:
            default.setdefault(field, None)
        default.setdefault('state', 'queued')
        default.setdefault('attempts', 0)
        return super().copy(messages, default=default)

    @classmethod
    def check_modification(cls, mode, messages, values=None, external=False):
        super().check_modification(
            mode, messages, values=values, external=external)
        if mode == 'delete':
            for message in messages:
                # DOMAIN_RULES 5: what was tried is evidence
                if (message.state in {'sent', 'failed'}
                        or message.attempts or message.last_error):
                    raise MessageDeleteError(gettext(
                            'aishang_message.msg_outbox_delete_attempted',
                            message=message.rec_name))

    @classmethod
    def queue(cls, values):
        """Create messages to send, one per recipient, and return them.

        values are create values; channel, company and the delivery fields
        have defaults. The cron sends them, or call send() to send now.
        """
        return cls.create([v.copy() for v in values])

    @classmethod
    @ModelView.button
    def send(cls, messages):
        """Deliver queued messages now, each through its channel.

        Messages that are not queued, or that another transaction is
        sending, are left alone: calling it twice sends a message once.
        """
        ids = cls._lock_queued(ids=[m.id for m in messages])
        cls._deliver(cls.browse(ids))

    @classmethod
    def cron_send(cls):
        "Send the queued messages that are due, a batch at a time"
        transaction = Transaction()
        while ids := cls._lock_queued(
                due=dt.datetime.now(), limit=cls._batch_size()):
            cls._deliver(cls.browse(ids))
            if transaction.context.get('_cron'):
                # Keep what was delivered even if a later batch fails, and
                # release the locks. Only under ir.cron: other callers
                # (tests, addons) own their transaction.
                transaction.commit()

    @classmethod
    def _batch_size(cls):
        return BATCH_SIZE

    @classmethod
    @ModelView.button
    @refuse_illegal('queued', 'aishang_message.msg_outbox_retry_state')
    @Workflow.transition('queued')
    def retry(cls, messages):
        cls.write(messages, {
                'attempts': 0,
                'next_attempt': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    @refuse_illegal('cancelled', 'aishang_message.msg_outbox_cancel_state')
    @Workflow.transition('cancelled')
    def cancel(cls, messages):
        cls.write(messages, {'next_attempt': None})

    @classmethod
    @Workflow.transition('sent')
    def _mark_sent(cls, messages):
        pass

    @classmethod
    @Workflow.transition('failed')
    def _mark_failed(cls, messages):
        pass

    @classmethod
    def _lock_queued(cls, ids=None, due=None, limit=None):
        """Lock queued messages and return their ids.

        Either those among ids or, with due, at most limit of those whose
        next attempt is due. Rows another transaction holds are skipped.
        """
        transaction = Transaction()
        database = transaction.database
        cursor = transaction.connection.cursor()
        table = cls.__table__()
        if not database.has_select_for():
            # No row locks: take the write lock before reading
            cursor.execute(*table.update(
                    [table.state], [table.state], where=Literal(False)))

        def select(where, **kwargs):
            query = table.select(
                table.id, where=where & (table.state == 'queued'), **kwargs)
            if database.has_select_for():
                For = database.get_select_for_skip_locked()
                query.for_ = For('UPDATE')
            cursor.execute(*query)
            return [id_ for id_, in cursor]

        if due is None:
            locked = []
            for sub in grouped_slice(ids or [], in_max()):
                locked.extend(select(table.id.in_(list(sub))))
            return locked
        return select(
            (table.next_attempt == Null) | (table.next_attempt <= due),
            order_by=[table.next_attempt.asc, table.id.asc], limit=limit)

    @classmethod
    def _deliver(cls, messages):
        "Send locked queued messages and record the outcome of each"
        results = {}
        by_channel = defaultdict(list)
        for message in messages:
            by_channel[message.channel].append(message)
        for channel, channel_messages in by_channel.items():
            sender = getattr(cls, f'_send_{channel}', None)
            if sender is None:
                error = gettext(
                    'aishang_message.msg_outbox_no_sender', channel=channel)
                results.update(dict.fromkeys(channel_messages, error))
                continue
            try:
                results.update(sender(channel_messages))
            except backend.DatabaseOperationalError:
                raise
            except Exception as exception:
                # A sender failing as a whole fails only its channel
                logger.warning(
                    "%s sender failed", channel, exc_info=True)
                results.update(
                    dict.fromkeys(channel_messages, error_text(exception)))
        cls._save_results(messages, results)

    @classmethod
    def _save_results(cls, messages, results):
        "Write the outcome of an attempt, one write per equal new values"
        now = dt.datetime.now()
        no_result = gettext('aishang_message.msg_outbox_no_result')
        to_write = defaultdict(list)
        sent, failed = [], []
        for message in messages:
            attempts = message.attempts + 1
            error = results.get(message, no_result)
            if error is None:
                sent.append(message)
                values = (('attempts', attempts), ('sent_date', now),
                    ('next_attempt', None), ('last_error', None))
            elif attempts >= message.max_attempts:
                failed.append(message)
                values = (('attempts', attempts), ('next_attempt', None),
                    ('last_error', error))
            else:
                values = (('attempts', attempts),
                    ('next_attempt', now + backoff(attempts)),
                    ('last_error', error))
            to_write[values].append(message)
        if to_write:
            cls.write(*[x for values, records in to_write.items()
                    for x in (records, dict(values))])
        cls._mark_sent(sent)
        cls._mark_failed(failed)

    @classmethod
    def _send_each(cls, messages, send_one):
        """Call send_one(message) for each message; return the results.

        An exception fails only its own message. Channel senders that
        deliver one message per call should use it.
        """
        results = {}
        for message in messages:
            try:
                send_one(message)
            except backend.DatabaseOperationalError:
                raise
            except Exception as exception:
                logger.warning("%s message %s failed",
                    message.channel, message.id, exc_info=True)
                results[message] = error_text(exception)
            else:
                results[message] = None
        return results

    @classmethod
    def _send_console(cls, messages):
        "Log the messages instead of delivering them"
        return cls._send_each(messages, cls._log_message)

    @classmethod
    def _log_message(cls, message):
        logger.info("%s message %s to %s: %s\n%s",
            message.channel, message.id, message.address or '-',
            message.subject or '', message.body or '')

    @classmethod
    def _send_in_app(cls, messages):
        # Nothing to push: the owner app reads sent in-app messages
        return dict.fromkeys(messages)
