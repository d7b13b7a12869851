# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
import unittest
from unittest.mock import patch

from trytond.model.exceptions import AccessError, ValidationError
# Absolute imports: pytest imports this package under a second name, whose
# exception classes would not be the ones the models raise.
from trytond.modules.aishang_message.exceptions import (
    MessageDeleteError, MessageTransitionError)
from trytond.modules.aishang_message.outbox import backoff
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, with_transaction
from trytond.transaction import Transaction

from .tools import LOGGER, MessageDBTestCase, queue

MINUTE = dt.timedelta(minutes=1)
CLOSE = dt.timedelta(seconds=30)


def reload(messages):
    Outbox = Pool().get('message.outbox')
    return Outbox.browse([m.id for m in messages])


def failing_for(*addresses):
    "A console sender that raises for the messages to addresses"
    def log_message(cls, message):
        if message.address in addresses:
            raise ConnectionError("gateway down")
    return classmethod(log_message)


class BackoffTestCase(unittest.TestCase):
    "The wait between attempts"

    def test_backoff(self):
        for attempts, minutes in [
                (1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (11, 1024),
                (12, 1440), (100, 1440), (0, 1)]:
            with self.subTest(attempts=attempts):
                self.assertEqual(backoff(attempts), minutes * MINUTE)


class OutboxTestCase(MessageDBTestCase):
    "Queue, send, retry and cancel messages"

    @with_transaction()
    def test_queue_and_send_console(self):
        "Console messages are logged with channel, address, subject, body"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        with set_company(company):
            message, = Outbox.queue([{
                        'address': '13800000000',
                        'subject': "缴费通知",
                        'body': "请于月底前缴纳物业费。",
                        }])
            self.assertEqual(message.channel, 'console')
            self.assertEqual(message.company, company)
            self.assertEqual(message.state, 'queued')
            self.assertEqual(message.attempts, 0)
            self.assertEqual(message.max_attempts, 5)

            with self.assertLogs(LOGGER, 'INFO') as logs:
                Outbox.send([message])

        message, = reload([message])
        self.assertEqual(message.state, 'sent')
        self.assertEqual(message.attempts, 1)
        self.assertIsNotNone(message.sent_date)
        self.assertIsNone(message.next_attempt)
        self.assertIsNone(message.last_error)
        self.assertEqual(len(logs.records), 1)
        output, = logs.output
        for part in ['console', '13800000000', "缴费通知", "请于月底前缴纳物业费。"]:
            self.assertIn(part, output)

    @with_transaction()
    def test_send_twice_sends_once(self):
        "Sending sent, cancelled or already sending messages does nothing"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        messages = queue(company, 2)
        Outbox.cancel(messages[1:])
        with self.assertLogs(LOGGER, 'INFO') as logs:
            Outbox.send(messages)
        self.assertEqual(len(logs.records), 1)
        with self.assertNoLogs(LOGGER, 'INFO'):
            Outbox.send(messages)
            Outbox.cron_send()
        self.assertEqual(
            [m.state for m in reload(messages)], ['sent', 'cancelled'])

    @with_transaction()
    def test_in_app_marked_sent(self):
        "In-app messages are sent without being logged"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        message, = queue(company, channel='in_app', address='admin')
        with self.assertNoLogs(LOGGER, 'INFO'):
            Outbox.send([message])
        message, = reload([message])
        self.assertEqual(message.state, 'sent')

    @with_transaction()
    def test_failing_sender_backs_off_then_fails(self):
        "A failure is kept and retried later, until max_attempts"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        bad, good = queue(company, 2, max_attempts=3)
        with patch.object(
                Outbox, '_log_message', failing_for(bad.address)):
            for attempt, wait in [(1, MINUTE), (2, 2 * MINUTE)]:
                now = dt.datetime.now()
                Outbox.send([bad, good])
                bad, good = reload([bad, good])
                with self.subTest(attempt=attempt):
                    self.assertEqual(good.state, 'sent')
                    self.assertEqual(good.attempts, 1)
                    self.assertEqual(bad.state, 'queued')
                    self.assertEqual(bad.attempts, attempt)
                    self.assertEqual(
                        bad.last_error, "ConnectionError: gateway down")
                    self.assertAlmostEqual(
                        bad.next_attempt, now + wait, delta=CLOSE)
            Outbox.send([bad])

        bad, = reload([bad])
        self.assertEqual(bad.state, 'failed')
        self.assertEqual(bad.attempts, 3)
        self.assertIsNone(bad.next_attempt)
        self.assertIsNone(bad.sent_date)
        self.assertEqual(bad.last_error, "ConnectionError: gateway down")

        Outbox.retry([bad])
        bad, = reload([bad])
        self.assertEqual(bad.state, 'queued')
        self.assertEqual(bad.attempts, 0)
        self.assertAlmostEqual(
            bad.next_attempt, dt.datetime.now(), delta=CLOSE)
        with self.assertLogs(LOGGER, 'INFO'):
            Outbox.cron_send()
        bad, = reload([bad])
        self.assertEqual(bad.state, 'sent')
        self.assertIsNone(bad.last_error)

    @with_transaction()
    def test_sender_failing_whole_channel(self):
        "A sender raising fails its channel only; no result is a failure"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        console, = queue(company)
        in_app, = queue(company, channel='in_app')

        def broken(cls, messages):
            raise RuntimeError("no network")
        with patch.object(Outbox, '_send_console', classmethod(broken)):
            Outbox.send([console, in_app])
        console, in_app = reload([console, in_app])
        self.assertEqual(console.state, 'queued')
        self.assertEqual(console.attempts, 1)
        self.assertEqual(console.last_error, "RuntimeError: no network")
        self.assertEqual(in_app.state, 'sent')

        forgetful, = queue(company, channel='in_app')
        with patch.object(
                Outbox, '_send_in_app', classmethod(lambda cls, m: {})):
            Outbox.send([forgetful])
        forgetful, = reload([forgetful])
        self.assertEqual(forgetful.state, 'queued')
        self.assertEqual(
            forgetful.last_error,
            "The channel sender gave no result for this message.")

    @with_transaction()
    def test_cron_sends_only_due(self):
        "The cron sends queued messages whose next attempt has come"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        now = dt.datetime.now()
        due, = queue(company, next_attempt=now - MINUTE)
        later, = queue(company, next_attempt=now + dt.timedelta(hours=1))
        cancelled, = queue(company, next_attempt=now - MINUTE)
        Outbox.cancel([cancelled])
        with self.assertLogs(LOGGER, 'INFO') as logs:
            Outbox.cron_send()
        self.assertEqual(len(logs.records), 1)
        self.assertEqual(
            [m.state for m in reload([due, later, cancelled])],
            ['sent', 'queued', 'cancelled'])
        self.assertEqual(reload([later])[0].attempts, 0)

    @with_transaction()
    def test_cron_batches(self):
        "The cron sends every due message a batch at a time"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        messages = queue(company, 5)
        with patch.object(Outbox, '_batch_size', classmethod(lambda c: 2)), \
                patch.object(Transaction, 'commit') as commit, \
                self.assertLogs(LOGGER, 'INFO') as logs:
            Outbox.cron_send()
            commit.assert_not_called()
            self.assertEqual(len(logs.records), 5)

            more = queue(company, 5)
            with Transaction().set_context(_cron='message.outbox|cron_send'):
                Outbox.cron_send()
            # under ir.cron each batch is committed: 2 + 2 + 1
            self.assertEqual(commit.call_count, 3)
        self.assertEqual(
            {m.state for m in reload(messages + more)}, {'sent'})

    @with_transaction()
    def test_cancel_and_retry_transitions(self):
        "Cancel queued or failed messages; retry failed ones only"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        queued, failed, sent = queue(company, 3, max_attempts=1)
        with patch.object(
                Outbox, '_log_message', failing_for(failed.address)):
            Outbox.send([failed, sent])
        queued, failed, sent = reload([queued, failed, sent])
        self.assertEqual(failed.state, 'failed')

        for method, message in [
                (Outbox.retry, sent),
                (Outbox.cancel, sent),
                ]:
            with self.subTest(method=method.__name__, state=message.state):
                with self.assertRaises(MessageTransitionError):
                    method([message])
        # Asking for the state a message is in changes nothing
        next_attempt = queued.next_attempt
        Outbox.retry([queued])
        queued, = reload([queued])
        self.assertEqual(
            (queued.state, queued.next_attempt), ('queued', next_attempt))

        Outbox.cancel([queued, failed])
        queued, failed = reload([queued, failed])
        self.assertEqual([queued.state, failed.state], ['cancelled'] * 2)
        Outbox.cancel([queued])
        with self.assertRaises(MessageTransitionError):
            Outbox.retry([failed])
        self.assertEqual(reload([sent])[0].state, 'sent')

    @with_transaction()
    def test_delete_keeps_evidence(self):
        "Only messages never tried may be deleted"
        Outbox = Pool().get('message.outbox')
        company = create_company()
        fresh, cancelled, sent = queue(company, 3)
        Outbox.cancel([cancelled])
        with self.assertLogs(LOGGER, 'INFO'):
            Outbox.send([sent])
        with self.assertRaises(MessageDeleteError):
            Outbox.delete([sent])
        Outbox.delete([fresh, cancelled])
        self.assertEqual(Outbox.search([]), [sent])

    @with_transaction()
    def test_origin(self):
        "The origin must be one of the models other addons declare"
        pool = Pool()
        Outbox = pool.get('message.outbox')
        Party = pool.get('party.party')
        company = create_company()
        party, = Party.create([{'name': "张三"}])
        origin = f'party.party,{party.id}'
        with self.assertRaises(ValidationError):
            queue(company, origin=origin)
        with patch.object(Outbox, '_get_origins',
                classmethod(lambda cls: ['party.party'])):
            message, = queue(company, party=party.id, origin=origin)
        self.assertEqual(message.origin, party)
        self.assertEqual(message.party, party)

    @with_transaction()
    def test_access(self):
        "Administrators read messages and use the buttons, nothing else"
        pool = Pool()
        Outbox = pool.get('message.outbox')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        group = ModelData.get_id('aishang_message', 'group_message_admin')
        admin, clerk = User.create([{
                    'login': login, 'name': login,
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', groups)],
                    } for login, groups in [('msgadmin', [group]),
                    ('clerk', [])]])
        message, = queue(company, max_attempts=1)
        with patch.object(
                Outbox, '_log_message', failing_for(message.address)):
            Outbox.send([message])

        context = {'_check_access': True, 'company': company.id}
        with Transaction().set_user(admin.id), \
                Transaction().set_context(context):
            self.assertEqual(Outbox.search([]), [message])
            with self.assertRaises(AccessError):
                Outbox.write([message], {'subject': "Changed"})
            with self.assertRaises(AccessError):
                Outbox.create([{'company': company.id}])
            Outbox.retry([message])
            Outbox.cancel([message])
        self.assertEqual(reload([message])[0].state, 'cancelled')
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(context):
            with self.assertRaises(AccessError):
                Outbox.search([])


class OutboxWorkersTestCase(MessageDBTestCase):
    "Two workers sending at once, on a database of committed messages"

    def test_two_workers_send_each_message_once(self):
        with Transaction().start(DB_NAME, 1) as transaction:
            company = create_company()
            ids = [m.id for m in queue(company, 3)]
            transaction.commit()

        with Transaction().start(DB_NAME, 1) as first:
            Outbox = Pool().get('message.outbox')
            with self.assertLogs(LOGGER, 'INFO') as logs:
                locked = Outbox._lock_queued(ids=ids)
                self.assertEqual(sorted(locked), sorted(ids))
                if first.database.has_select_for():
                    # PostgreSQL: the rows first is sending are skipped
                    with first.new_transaction():
                        self.assertEqual(Outbox._lock_queued(ids=ids), [])
                        Outbox.cron_send()
                        Outbox.send(Outbox.browse(ids))
                        self.assertEqual(
                            {m.state for m in Outbox.browse(ids)},
                            {'queued'})
                else:
                    # SQLite has one writer: the claim took its lock
                    self.assertTrue(first.connection.in_transaction)
                Outbox._deliver(Outbox.browse(locked))
            self.assertEqual(len(logs.records), 3)
            first.commit()

        with Transaction().start(DB_NAME, 1):
            Outbox = Pool().get('message.outbox')
            with self.assertNoLogs(LOGGER, 'INFO'):
                Outbox.cron_send()
                Outbox.send(Outbox.browse(ids))
            self.assertEqual(
                {m.state for m in Outbox.browse(ids)}, {'sent'})
