# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The owner API against schemathesis (issue 6): every operation of the
served OpenAPI document, as a verified owner and without a session, with

* the cases of schemathesis's coverage phase (boundaries, each kind of
  invalid value), the path naming records of the owner;
* the valid ones of them with one value made hostile (NUL, a lone
  surrogate, blanks, non-ASCII digits, ids beyond the database's integers:
  what generated cases seldom hold);
* Hypothesis fuzzing, valid and invalid data (schemathesis's strategies).

Each answer must not be a server error (5xx), must have a status, a content
type and a body the document declares, and invalid data must be refused.
The run is derandomized and bounded (EXAMPLES): the same on every run, and
about 20 s of requests on SQLite.

The fixtures are those of test_api (one test database built once), plus a
ticket, a payment order and an in-app message of owner A. The requests go
through the WSGI application as in test_api, each in its own committed
transaction. WeChat is the fake network of tools, SMS codes go to the
console backend and payments to the sandbox channel; POST owner/logout gets
a session of its own each time.
"""
import io
import time
from collections import defaultdict

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection,
    response_schema_conformance, status_code_conformance)

from trytond.modules.aishang_portal import api
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.tests.test_tryton import DB_NAME, Client, RouteTestCase
from trytond.transaction import Transaction
from trytond.wsgi import app

from . import test_api
from .tools import FakeNetwork, portal_config

CHECKS = [not_a_server_error, status_code_conformance,
    content_type_conformance, response_schema_conformance,
    negative_data_rejection]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
# Hypothesis examples per operation and strategy
EXAMPLES = {'fuzz': 50, 'known': 5, 'anonymous': 5}
PNG = b'\x89PNG\r\n\x1a\n' + b'\0' * 64
# Slow operations (a PDF rendered per request) get fewer examples
SLOW = {'receipt_pdf'}
# Values put in each field of valid requests, which the generated cases
# seldom hold: characters PostgreSQL or UTF-8 refuse, blanks, non-ASCII
# digits, ids beyond the database's integers
HOSTILE_TEXTS = ['\x00', 'a\x00b', '\ud800', ' \n ', '\uff11\uff12\uff13']
HOSTILE_QUERY_TEXTS = ['\x00', ' ', '\uff11']
HOSTILE_INTEGERS = [0, -1, 2 ** 31, 2 ** 63, 10 ** 30]
HOSTILE_IDS = [2 ** 31, 2 ** 63, 10 ** 30]
# Operations no request of the run can complete: unknown WeChat codes, no
# SMS code sent, the ticket neither closed nor with a proposed visit
NEVER_SUCCEED = {'login_wechat', 'verify_sms', 'verify_wechat_phone',
    'rate_ticket', 'confirm_ticket_appointment'}


def hypothesis_settings(max_examples):
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
        )


class OpenApiFuzzTestCase(RouteTestCase):
    "Owner API under schemathesis"
    module = 'aishang_portal'
    extras = ['aishang_payment', 'aishang_helpdesk']

    @classmethod
    def setUpClass(cls):
        test_api.PortalApiTestCase.setUpClass.__func__(cls)
        cls.setUpRecords()

    @classmethod
    def setUpDatabase(cls):
        test_api.PortalApiTestCase.setUpDatabase.__func__(cls)

    @classmethod
    def setUpRecords(cls):
        "A ticket with a photo and a message, an order and an in-app message"
        def call(method, path, **kw):
            response = Client(app, Response).open(
                f'/{DB_NAME}{api.PREFIX}{path}', method=method,
                headers={'Authorization': f'Bearer {cls.token_a}'}, **kw)
            assert response.status_code == 200, response.data
            return response.json
        ticket = call('POST', 'owner/tickets', json={
                'kind': 'repair', 'category': cls.categories['repair'],
                'resource': cls.home_a, 'description': "厨房水管漏水"})
        cls.ticket = ticket['ticket']['id']
        photo = call('POST', f'owner/tickets/{cls.ticket}/photos',
            data={'photo': (io.BytesIO(PNG), 'a.png')})
        cls.photo = photo['photo']['id']
        call('POST', f'owner/tickets/{cls.ticket}/messages',
            json={'body': "请尽快"})
        order = call('POST', 'owner/payments', json={
                'bill_ids': [cls.bills_a[0]], 'channel': 'sandbox'})
        cls.order = order['order']['id']

        with Transaction().start(DB_NAME, 0) as transaction:
            message, = Pool().get('message.outbox').create([{
                        'company': cls.company, 'channel': 'in_app',
                        'party': cls.owner_a, 'state': 'sent',
                        'attempts': 1, 'max_attempts': 3,
                        'subject': "缴费提醒", 'body': "您有 2 笔未缴"}])
            cls.message = message.id
            transaction.commit()

    def known(self, operation):
        "Path parameters naming records of owner A, by operation"
        return {
            'bill': {'bill_id': self.bills_a[0]},
            'receipt': {'receipt_id': self.receipt_a},
            'receipt_pdf': {'receipt_id': self.receipt_a},
            'notice': {'notice_id': self.notices["停水通知"]},
            'notice_attachment': {
                'notice_id': self.notices["停水通知"],
                'attachment_id': self.attachment},
            'read_message': {'message_id': self.message},
            'payment': {'order_id': self.order},
            'ticket_photo': {'ticket_id': self.ticket,
                'attachment_id': self.photo},
            }.get(operation.definition.raw['operationId'], {
                'ticket_id': self.ticket} if '{ticket_id}' in operation.path
            else {})

    def known_body(self, operation):
        "A body that succeeds, by operation"
        return {
            'bills_check': {'bill_ids': [self.bills_a[0]]},
            'create_payment': {'bill_ids': [self.bills_a[0]],
                'channel': 'sandbox'},
            }.get(operation.definition.raw['operationId'])

    def new_token(self):
        with Transaction().start(DB_NAME, 0) as transaction:
            user, = Pool().get('web.user').search(
                [('party', '=', self.owner_a)], limit=1)
            token = user.new_session()
            transaction.commit()
        return token

    def send(self, case, failures, statuses, anonymous=False):
        headers = {}
        if not anonymous:
            token = self.token_a
            if case.operation.path == '/owner/logout':
                # keep the session of the other requests
                token = self.new_token()
            headers['Authorization'] = f'Bearer {token}'
        response = case.call(headers=headers)
        if case.method.upper() == case.operation.method.upper():
            # not a probe of another method (the coverage phase's)
            statuses[case.operation.definition.raw['operationId']].add(
                response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as error:
            # one report of each kind of failure of each operation
            key = (case.operation.label, response.status_code,
                tuple(sorted(f.title for f in error.exceptions)))
            failures.setdefault(key, f"{case.operation.label}: {error}")
        return response

    def test_every_operation(self):
        "No server error nor schema mismatch for any operation"
        operations = self.operations(with_security_parameters=False)
        # without a session: schemathesis sends no or a random token
        anonymous = self.operations(with_security_parameters=True)
        self.assertEqual(len(operations), len(api.ENDPOINTS))
        failures, timings, statuses = {}, [], defaultdict(set)
        network = FakeNetwork()
        with network.active(), portal_config(database=DB_NAME,
                    wechat_appid='wxappid', wechat_secret='secret'):
            for operation, anonymous_operation in zip(operations, anonymous):
                started = time.monotonic()
                count = self.run_operation(
                    operation, anonymous_operation, failures, statuses)
                timings.append((time.monotonic() - started, count,
                        operation.label))
        print(f"\n{sum(t[1] for t in timings)} requests in "
            f"{sum(t[0] for t in timings):.1f}s; the slowest operations:")
        for seconds, count, label in sorted(timings, reverse=True)[:5]:
            print(f"{seconds:6.2f}s {count:4d} {label}")
        if failures:
            self.fail('\n\n'.join(failures.values()))
        # the answers of success were checked too
        self.assertEqual({e.operation_id for e in api.ENDPOINTS
                if not any(200 <= s < 300 for s in statuses[e.operation_id])},
            NEVER_SUCCEED)

    def operations(self, **generation):
        "The operations of the served document"
        schema = schemathesis.openapi.from_wsgi(
            f'/{DB_NAME}{api.PREFIX}openapi.json', app)
        # the API ignores query parameters it does not declare
        schema.config.generation.update(modes=MODES,
            allow_extra_parameters=False, **generation)
        return [result.ok() for result in schema.get_all_operations()]

    def hostile(self, operation, valid):
        "Valid requests with one value replaced by a hostile one"
        seen = set()

        def variant(case, **values):
            parts = {'path_parameters': case.path_parameters,
                'query': case.query, 'body': case.body,
                'media_type': case.media_type}
            parts.update(values)
            return operation.Case(**parts)

        for case in valid[:1]:
            for name in case.path_parameters or {}:
                for value in HOSTILE_IDS:
                    yield variant(case, path_parameters={
                            **case.path_parameters, name: value})
        for case in valid:
            for name, value in (case.query or {}).items():
                for text in HOSTILE_QUERY_TEXTS:
                    if ('query', name, text) not in seen:
                        seen.add(('query', name, text))
                        yield variant(case, query={**case.query, name: text})
            if case.media_type != 'application/json' or not isinstance(
                    case.body, dict):
                continue
            for name, value in case.body.items():
                if isinstance(value, str):
                    replacements = HOSTILE_TEXTS
                elif isinstance(value, int) and not isinstance(value, bool):
                    replacements = HOSTILE_INTEGERS
                elif isinstance(value, list) and value and all(
                        isinstance(v, int) for v in value):
                    replacements = [[v] for v in HOSTILE_INTEGERS]
                else:
                    continue
                for replacement in replacements:
                    key = ('body', name, repr(replacement))
                    if key not in seen:
                        seen.add(key)
                        yield variant(case,
                            body={**case.body, name: replacement})

    def run_operation(self, operation, anonymous, failures, statuses):
        name = operation.definition.raw['operationId']
        known = self.known(operation)
        sent = [0]

        def send(case, anonymous=False):
            sent[0] += 1
            self.send(case, failures, statuses, anonymous=anonymous)

        # the coverage phase: boundaries and each kind of invalid value
        generation = operation.schema.config.generation_for(
            operation=operation, phase='coverage')
        valid = []
        for case in CoverageGenerator(operation=operation,
                generation_modes=MODES, generation_config=generation,
                auth_storage=None,
                override=Override(path_parameters=known),
                feedback=NO_FEEDBACK):
            send(case)
            if case.meta.generation.mode is GenerationMode.POSITIVE:
                valid.append(case)
        for case in self.hostile(operation, valid):
            send(case)

        def fuzz(strategy, examples, anonymous=False):
            @hypothesis_settings(1 if name in SLOW else examples)
            @given(case=strategy)
            def test(case):
                send(case, anonymous=anonymous)
            test()

        fuzz(hypothesis.strategies.one_of([operation.as_strategy(mode)
                    for mode in MODES]), EXAMPLES['fuzz'])
        body = self.known_body(operation)
        if known or body:
            fuzz(operation.as_strategy(path_parameters=known,
                    **({'body': body} if body else {})), EXAMPLES['known'])
        fuzz(hypothesis.strategies.one_of([anonymous.as_strategy(mode)
                    for mode in MODES]), EXAMPLES['anonymous'],
            anonymous=True)
        return sent[0]


del RouteTestCase
