# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The owner API through HTTP (werkzeug test client) against one test
database built once: every endpoint, isolation between owners and
projects, sessions, SMS codes and their limits, bad input, OpenAPI."""
import datetime as dt
import io
import json
import os
import re
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.aishang_billing.tests.tools import ACCOUNTING_LOCKS
from trytond.modules.aishang_cashier.tests.tools import (
    create_bills, create_household, draft_receipt, setup_cashier)
from trytond.modules.aishang_payment.tests.keys import Files, SandboxKeys
from trytond.modules.aishang_payment.tests.tools import server_options
from trytond.modules.aishang_portal import api
from trytond.modules.aishang_property.tests.tools import (
    create_building, create_owner, create_residence)
from trytond.modules.aishang_helpdesk.tests.tools import (
    as_user, create_user)
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase, _DBTestCase
from trytond.transaction import Transaction, TransactionError
from trytond.wsgi import app

from .tools import FakeNetwork, portal_config, sms_codes

D = Decimal
SMS_LOGGER = 'trytond.modules.aishang_portal.sms'
DOCS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'docs',
    'owner-api.md')
OPENID_U = 'oUNVERIFIED0000000000000001'
OPENID_D = 'oOWNERD000000000000000000001'


def run(func):
    "Run func in a committed transaction holding the accounting locks"
    extras = {'_lock_tables': list(ACCOUNTING_LOCKS)}
    while True:
        with Transaction().start(DB_NAME, 1, **extras) as transaction:
            try:
                result = func()
            except TransactionError as e:
                transaction.rollback()
                e.fix(extras)
                continue
            transaction.commit()
            return result


class PortalApiTestCase(RouteTestCase):
    "Owner API"
    module = 'aishang_portal'
    # owner payments (payment.py) answer where online payments are active
    extras = ['aishang_payment', 'aishang_helpdesk']

    @classmethod
    def setUpClass(cls):
        # RouteTestCase.setUpClass without its setUpDatabase transaction:
        # the fixtures need the accounting locks held from the start
        _DBTestCase.setUpClass.__func__(cls)
        cls.sandbox = SandboxKeys(Files())
        cls.enterClassContext(server_options(cls.sandbox.files.options))
        run(cls.setUpDatabase)

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Ownership = pool.get('property.ownership')
        WebUser = pool.get('web.user')
        Notice = pool.get('property.notice')
        Attachment = pool.get('ir.attachment')
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')

        lang, = Lang.search([('code', '=', 'zh_CN')])
        lang.translatable = True
        lang.save()
        for module in ['aishang_portal', 'aishang_helpdesk']:
            Translation.translation_import('zh_CN', module,
                os.path.join(os.path.dirname(__file__), '..', '..', module,
                    'locale', 'zh_CN.po'))

        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            wyf, cwf = setup['fee_items']['WYF'], setup['fee_items']['CWF']
            cash = setup['methods']['cash']
            sandbox, = pool.get('property.payment_method').create([{
                        'company': company.id, 'code': 'SBX',
                        'name': "模拟支付", 'kind': 'sandbox',
                        'account': setup['accounts']['1002'].id}])
            pool.get('property.payment.channel').create([{
                        'company': company.id, 'code': cls.sandbox.code,
                        'name': "模拟支付", 'kind': 'sandbox',
                        'method': sandbox.id, 'merchant_id': 'SANDBOX'}])
            project, home_a, owner_a = create_household(company, number='301')
            _, home_b, owner_b = create_household(company, number='302')
            # who pays online in test_payments, apart from the others
            _, home_e, owner_e = create_household(company, number='312')
            other, home_c, owner_c = create_household(
                company, code='LY', name="绿园", number='501')
            spares = [create_household(company, number=str(n))[2]
                for n in range(303, 312)]
            building_3 = create_building(project, code='3')
            # counted after 3号楼 by people, before it as text
            create_building(project, code='10')
            home_d = create_residence(building_3, building_3.units[0], '101')
            owner_d = create_owner(name="业主D", phone='13800000999')
            Ownership.create([{'resource': home_d.id, 'party': owner_d.id,
                        'share': D(100)}])
            # a previous owner of home_a, whose ownership ended
            Ownership.write(Ownership.search([('resource', '=', home_a.id)]),
                {'start_date': dt.date(2021, 1, 1)})
            previous = create_owner(name="前业主", phone='13600000001')
            Ownership.create([{'resource': home_a.id, 'party': previous.id,
                        'share': D(100), 'start_date': dt.date(2020, 1, 1),
                        'end_date': dt.date(2020, 12, 31)}])
            # two owners with one phone
            create_owner(name="甲", phone='13700000000')
            create_owner(name="乙", phone='13700000000')

            old, = create_bills(home_a, owner_a, wyf, ['205.85'],
                first=dt.date(2025, 12, 1))
            a_wyf = create_bills(home_a, owner_a, wyf, ['205.85'] * 3)
            a_cwf = create_bills(home_a, owner_a, cwf, ['150.00'])
            b_wyf = create_bills(home_b, owner_b, wyf, ['205.85', '205.85'])
            c_wyf = create_bills(home_c, owner_c, wyf, ['99.00'])
            e_wyf = create_bills(home_e, owner_e, wyf, ['205.85'] * 3)
            receipt_a = draft_receipt(home_a, owner_a,
                [(old, '205.85')], [(cash, '205.85')])
            receipt_b = draft_receipt(home_b, owner_b,
                [(b_wyf[0], '205.85')], [(cash, '205.85')])
            Receipt.collect([receipt_a, receipt_b])

            now = dt.datetime.now().replace(microsecond=0)
            day = dt.timedelta(days=1)
            notices = Notice.create([{
                        'title': "停水通知",
                        'body': '<p>明天<b>停水</b></p>'
                        '<script>alert(1)</script>',
                        'projects': [('add', [project.id])],
                        }, {
                        'title': "电梯保养", 'pinned': True,
                        'body': "<p>本周六电梯保养</p>",
                        'projects': [('add', [project.id])],
                        'publish_start': now - day,
                        }, {
                        'title': "3号楼通知",
                        'projects': [('add', [project.id])],
                        'buildings': [('add', [building_3.id])],
                        }, {
                        'title': "绿园通知",
                        'projects': [('add', [other.id])],
                        }, {
                        'title': "草稿",
                        'projects': [('add', [project.id])],
                        }, {
                        'title': "过期",
                        'projects': [('add', [project.id])],
                        'publish_start': now - 10 * day,
                        'publish_end': now - day,
                        }, {
                        'title': "未来",
                        'projects': [('add', [project.id])],
                        'publish_start': now + day,
                        }])
            Notice.publish([n for n in notices if n.title != "草稿"])
            attachment, other_attachment = Attachment.create([{
                        'name': "停水范围.txt",
                        'resource': str(notices[0]),
                        'data': "2号楼、3号楼".encode('utf-8'),
                        }, {
                        'name': "绿园.txt",
                        'resource': str(notices[3]),
                        'data': b'other',
                        }])

            users = WebUser.create([
                    {'phone': owner_a.owner_phone, 'party': owner_a.id},
                    {'phone': owner_b.owner_phone, 'party': owner_b.id},
                    {'phone': owner_c.owner_phone, 'party': owner_c.id},
                    {'wechat_openid': OPENID_D, 'party': owner_d.id},
                    {'wechat_openid': OPENID_U},
                    {'phone': owner_e.owner_phone, 'party': owner_e.id},
                    ])
            tokens = [u.new_session() for u in users]

            # tickets (O3, O4): a category of two kinds, a technician and
            # a customer service user of the project
            Category = pool.get('helpdesk.category')
            repair, complaint = Category.create([{
                        'company': company.id, 'code': 'SD',
                        'name': "水电维修", 'kind': 'repair'}, {
                        'company': company.id, 'code': 'TD',
                        'name': "服务态度", 'kind': 'complaint'}])
            technician = create_employee(company, "张师傅")
            service = create_user(company, 'kefu',
                ['aishang_helpdesk.group_helpdesk_service'], [project])

        cls.company = company.id
        cls.project, cls.other_project = project.id, other.id
        cls.owner_a, cls.owner_b = owner_a.id, owner_b.id
        cls.owner_c, cls.owner_d = owner_c.id, owner_d.id
        cls.home_a, cls.home_b = home_a.id, home_b.id
        cls.spares = [(p.id, p.owner_phone) for p in spares]
        cls.bill_old = old.id
        cls.bills_a = [b.id for b in a_wyf]
        cls.bill_cwf = a_cwf[0].id
        cls.bills_b = [b.id for b in b_wyf]
        cls.bill_c = c_wyf[0].id
        cls.receipt_a, cls.receipt_b = receipt_a.id, receipt_b.id
        cls.notices = {n.title: n.id for n in notices}
        cls.attachment = attachment.id
        cls.other_attachment = other_attachment.id
        cls.bills_e = [b.id for b in e_wyf]
        cls.categories = {'repair': repair.id, 'complaint': complaint.id}
        cls.technician, cls.service_user = technician.id, service.id
        (cls.token_a, cls.token_b, cls.token_c, cls.token_d,
            cls.token_u, cls.token_e) = tokens

    # -- helpers ----------------------------------------------------------

    def call(self, method, path, token=None, json_=None, data=None,
            headers=None, prefix=True, ip='192.0.2.1', language='en'):
        url = (f'/{DB_NAME}' if prefix else '') + api.PREFIX + path
        headers = dict(headers or {})
        if token:
            headers['Authorization'] = f'Bearer {token}'
        if language:
            headers.setdefault('Accept-Language', language)
        return self.client().open(url, method=method, json=json_, data=data,
            headers=headers, environ_base={'REMOTE_ADDR': ip})

    def assertError(self, response, status, code, field=None):
        self.assertEqual(response.status_code, status, response.data)
        self.assertTrue(response.content_type.startswith('application/json'))
        error = response.json['error']
        self.assertEqual(error['code'], code, error)
        self.assertTrue(error['message'])
        if field is not None:
            self.assertEqual(error.get('field'), field, error)
        return error

    def in_db(self, func):
        "Run func(pool) in a committed transaction and return its result"
        with Transaction().start(DB_NAME, 0) as transaction:
            result = func(Pool())
            transaction.commit()
        return result

    def count(self, model, domain=()):
        return self.in_db(lambda pool: pool.get(model).search_count(
                list(domain)))

    def send_code(self, phone, ip='192.0.2.1'):
        with self.assertLogs(SMS_LOGGER, 'INFO') as logs:
            response = self.call('POST', 'owner/sms/send',
                json_={'phone': phone}, ip=ip)
        self.assertEqual(response.status_code, 200, response.data)
        code, = sms_codes(logs.output)
        return code

    def spare(self, index):
        return self.spares[index]

    # -- the contract -----------------------------------------------------

    def test_openapi_documents_every_route(self):
        "Every route of the API is in the OpenAPI document and the docs"
        response = self.call('GET', 'openapi.json', prefix=False)
        self.assertEqual(response.status_code, 200)
        document = response.json
        self.assertEqual(self.call('GET', 'openapi.json').json, document)
        self.assertEqual(document['openapi'], '3.0.3')
        documented = {(method.upper(), path)
            for path, operations in document['paths'].items()
            for method in operations}
        routed = set()
        converter = re.compile(r'<(?:\w+:)?(\w+)>')
        for rule in app.url_map.iter_rules():
            path = rule.rule
            if (api.PREFIX not in path or path.endswith('openapi.json')
                    or '<anypath:rest>' in path):
                continue
            path = converter.sub(r'{\1}', path.split(api.PREFIX, 1)[1])
            for method in rule.methods - {'HEAD', 'OPTIONS'}:
                routed.add((method, '/' + path))
        self.assertTrue(routed)
        self.assertEqual(routed, documented)
        with open(DOCS, encoding='utf-8') as fp:
            docs = fp.read()
        for method, path in sorted(documented):
            self.assertIn(f'{method} {path.lstrip("/")}', docs,
                msg="docs/owner-api.md does not document it")
        for path, operations in document['paths'].items():
            for method, operation in operations.items():
                for status, response in operation['responses'].items():
                    self.assertIn('content', response, (path, method))
                if method == 'post' and path != '/owner/logout':
                    self.assertIn('requestBody', operation, path)

    def test_database_less_routes(self):
        "Without the database in the path, the configured one is used"
        with portal_config(database=DB_NAME):
            response = self.call('GET', 'owner/me', self.token_a,
                prefix=False)
            self.assertEqual(response.status_code, 200, response.data)
            self.assertEqual(response.json['owner']['id'], self.owner_a)
        with portal_config(database='no_such_database'):
            self.assertError(self.call('GET', 'owner/me', self.token_a,
                    prefix=False), 404, 'no_database')
        response = self.client().get(
            '/no_such_database' + api.PREFIX + 'owner/me')
        self.assertError(response, 404, 'no_database')

    # -- sessions ---------------------------------------------------------

    def test_authentication_required(self):
        "Every endpoint but login needs a session; owner data a verified one"
        owner_paths = [
            ('GET', 'owner/resources'), ('GET', 'owner/bills'),
            ('GET', f'owner/bills/{self.bills_a[0]}'),
            ('POST', 'owner/bills/check'), ('GET', 'owner/receipts'),
            ('GET', f'owner/receipts/{self.receipt_a}'),
            ('GET', f'owner/receipts/{self.receipt_a}/pdf'),
            ('GET', 'owner/notices'),
            ('GET', f'owner/notices/{self.notices["停水通知"]}'),
            ('GET', f'owner/notices/{self.notices["停水通知"]}/'
                f'attachments/{self.attachment}'),
            ]
        session_paths = [('GET', 'owner/me'), ('POST', 'owner/logout'),
            ('POST', 'owner/verify/wechat-phone')]
        for method, path in owner_paths + session_paths:
            with self.subTest(path=path):
                body = {'bill_ids': [1]} if 'check' in path else None
                self.assertError(self.call(method, path, json_=body),
                    401, 'unauthorized')
                self.assertError(self.call(method, path, 'x' * 32,
                        json_=body), 401, 'unauthorized')
                self.assertError(self.call(method, path, json_=body,
                        headers={'Authorization': 'Basic YTpi'}),
                    401, 'unauthorized')
        for method, path in owner_paths:
            with self.subTest(path=path, verified=False):
                body = {'bill_ids': [1]} if 'check' in path else None
                self.assertError(self.call(method, path, self.token_u,
                        json_=body), 403, 'not_verified')
        response = self.call('GET', 'owner/me', self.token_u)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json['verified'], False)
        self.assertIsNone(response.json['owner'])

    def test_session_expiry_and_logout(self):
        "Expired sessions and logged-out ones are refused"
        def new_sessions(pool):
            WebUser = pool.get('web.user')
            user, = WebUser.search([('party', '=', self.owner_b)])
            return user.new_session(), user.new_session()
        old, current = self.in_db(new_sessions)
        self.assertEqual(
            self.call('GET', 'owner/me', old).status_code, 200)

        def age(pool):
            Session = pool.get('web.user.session')
            table = Session.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.update([table.create_date],
                    [dt.datetime.now() - Session.timeout()
                        - dt.timedelta(minutes=1)],
                    where=table.key == old))
        self.in_db(age)
        self.assertError(self.call('GET', 'owner/me', old), 401,
            'unauthorized')
        self.assertEqual(self.call('POST', 'owner/logout', current).json,
            {'logged_out': True})
        self.assertError(self.call('GET', 'owner/bills', current), 401,
            'unauthorized')
        # the other sessions of the owner go on
        self.assertEqual(
            self.call('GET', 'owner/me', self.token_b).status_code, 200)

    # -- owner data -------------------------------------------------------

    def test_me_and_resources(self):
        "The owner sees their own resources with project and building"
        me = self.call('GET', 'owner/me', self.token_a).json
        self.assertEqual(me['owner']['id'], self.owner_a)
        self.assertEqual(me['owner']['phone'], '138****0301')
        self.assertEqual((me['verified'], me['resource_count']), (True, 1))
        resources = self.call('GET', 'owner/resources', self.token_a).json
        resource, = resources['resources']
        self.assertEqual(resource['id'], self.home_a)
        self.assertEqual(resource['code'], '2-1-301')
        self.assertEqual(resource['project']['name'], "翠湖花园")
        self.assertEqual(resource['building']['name'], "2号楼")
        self.assertEqual(resource['building_area'], '100.00')
        self.assertEqual(resource['share'], '100.00')
        other, = self.call('GET', 'owner/resources', self.token_c).json[
            'resources']
        self.assertEqual(other['project']['name'], "绿园")

    def test_bills(self):
        "Open bills by resource and fee item, oldest first, with totals"
        response = self.call('GET', 'owner/bills', self.token_a)
        self.assertEqual(response.status_code, 200, response.data)
        data = response.json
        self.assertEqual(data['state'], 'open')
        group, = data['resources']
        self.assertEqual(group['resource']['id'], self.home_a)
        self.assertEqual(group['balance'], '767.55')
        wyf, cwf = group['fee_items']
        self.assertEqual(wyf['fee_item']['name'], "物业费")
        self.assertEqual([b['id'] for b in wyf['bills']], self.bills_a)
        self.assertEqual(wyf['balance'], '617.55')
        first = wyf['bills'][0]
        self.assertEqual(first['period_start'], '2026-01-01')
        self.assertEqual(first['period_end'], '2026-01-31')
        self.assertEqual(first['due_date'], '2026-02-01')
        self.assertEqual(
            (first['amount'], first['paid'], first['balance'],
                first['late_fee']),
            ('205.85', '0.00', '205.85', '0.00'))
        self.assertEqual((first['state'], first['payable']), ('open', True))
        self.assertEqual((first['resource_id'], first['project_id']),
            (self.home_a, self.project))
        self.assertEqual([b['id'] for b in cwf['bills']], [self.bill_cwf])
        self.assertEqual(data['totals'], {'count': 4, 'amount': '767.55',
                'late_fee': '0.00', 'discount': '0.00', 'paid': '0.00',
                'balance': '767.55'})

        paid = self.call('GET', 'owner/bills?state=paid', self.token_a).json
        bill, = [b for g in paid['resources'] for f in g['fee_items']
            for b in f['bills']]
        self.assertEqual((bill['id'], bill['state'], bill['balance']),
            (self.bill_old, 'paid', '0.00'))
        every = self.call('GET', 'owner/bills?state=all&limit=2&offset=1',
            self.token_a).json
        self.assertEqual(every['total_count'], 5)
        self.assertEqual(
            [b['id'] for g in every['resources'] for f in g['fee_items']
                for b in f['bills']], [self.bills_a[0], self.bill_cwf])
        one = self.call('GET', f'owner/bills?resource={self.home_a}',
            self.token_a).json
        self.assertEqual(one['totals']['count'], 4)

        # owner B sees only B's bills
        b = self.call('GET', 'owner/bills?state=all', self.token_b).json
        self.assertEqual(
            sorted(b['id'] for g in b['resources'] for f in g['fee_items']
                for b in f['bills']), self.bills_b)

        self.assertError(self.call('GET', f'owner/bills?resource='
                f'{self.home_b}', self.token_a), 404, 'not_found')
        self.assertError(self.call('GET', 'owner/bills?state=late',
                self.token_a), 400, 'invalid_field', 'state')
        self.assertError(self.call('GET', 'owner/bills?limit=abc',
                self.token_a), 400, 'invalid_field', 'limit')
        self.assertError(self.call('GET', 'owner/bills?limit=1000',
                self.token_a), 400, 'invalid_field', 'limit')

    def test_previous_owner_sees_nothing(self):
        "An owner whose ownership ended sees neither resource nor bills"
        def session(pool):
            WebUser = pool.get('web.user')
            Party = pool.get('party.party')
            previous, = Party.search([('name', '=', "前业主")])
            user, = WebUser.create([{'phone': previous.owner_phone,
                        'party': previous.id}])
            return user.new_session()
        token = self.in_db(session)
        self.assertEqual(self.call('GET', 'owner/resources', token).json,
            {'resources': []})
        bills = self.call('GET', 'owner/bills?state=all', token).json
        self.assertEqual(bills['total_count'], 0)
        self.assertEqual(self.call('GET', 'owner/receipts', token).json[
                'total_count'], 0)
        self.assertError(self.call('GET', f'owner/bills/{self.bills_a[0]}',
                token), 404, 'not_found')

    def test_bill_detail_isolation(self):
        "Another owner's bill answers exactly as a bill that does not exist"
        response = self.call('GET', f'owner/bills/{self.bills_a[1]}',
            self.token_a)
        self.assertEqual(response.status_code, 200, response.data)
        detail = response.json
        self.assertEqual(detail['bill']['id'], self.bills_a[1])
        self.assertEqual(detail['project']['name'], "翠湖花园")
        self.assertEqual(detail['resource']['code'], '2-1-301')
        self.assertEqual(detail['adjustments'], [])
        theirs = self.call('GET', f'owner/bills/{self.bills_b[1]}',
            self.token_a)
        missing = self.call('GET', 'owner/bills/99999999', self.token_a)
        self.assertError(theirs, 404, 'not_found')
        self.assertError(missing, 404, 'not_found')
        self.assertEqual(
            re.sub(r'\d+', 'N', theirs.json['error']['message']),
            re.sub(r'\d+', 'N', missing.json['error']['message']))
        self.assertError(self.call('GET', f'owner/bills/{self.bill_c}',
                self.token_a), 404, 'not_found')
        for method, path in [('GET', 'owner/bills/abc'),
                ('GET', 'owner/bills/check'), ('DELETE', 'owner/bills/1'),
                ('GET', 'owner/nothing')]:
            self.assertError(self.call(method, path, self.token_a), 404,
                'not_found')

    def test_bills_check(self):
        "The server's total, and the oldest bill of an item first"
        response = self.call('POST', 'owner/bills/check', self.token_a,
            {'bill_ids': [self.bills_a[1], self.bills_a[0], self.bill_cwf]})
        self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(response.json['total'], '561.70')
        self.assertEqual(response.json['currency'], 'CNY')
        self.assertEqual([b['id'] for b in response.json['bills']],
            [self.bills_a[0], self.bill_cwf, self.bills_a[1]])

        error = self.assertError(self.call('POST', 'owner/bills/check',
                self.token_a, {'bill_ids': [self.bills_a[2]]}),
            409, 'oldest_first')
        number = self.in_db(lambda pool: pool.get('property.bill')(
                self.bills_a[0]).number)
        self.assertIn(number, error['message'])
        self.assertEqual(error['older_bill_id'], self.bills_a[0])
        self.assertError(self.call('POST', 'owner/bills/check',
                self.token_a, {'bill_ids': [self.bills_a[0],
                        self.bills_a[2]]}), 409, 'oldest_first')
        self.assertError(self.call('POST', 'owner/bills/check',
                self.token_a, {'bill_ids': [self.bill_old]}),
            409, 'bill_not_payable')
        self.assertError(self.call('POST', 'owner/bills/check',
                self.token_a, {'bill_ids': [self.bills_a[0],
                        self.bills_b[1]]}), 404, 'not_found', 'bill_ids')

    def test_bad_input(self):
        "Wrong types, missing fields, unknown fields and huge bodies"
        def check(body, code, field=None, **kw):
            return self.assertError(self.call('POST', 'owner/bills/check',
                    self.token_a, **body, **kw), 400, code, field)
        check({'json_': {}}, 'invalid_field', 'bill_ids')
        check({'json_': {'bill_ids': None}}, 'invalid_field', 'bill_ids')
        check({'json_': {'bill_ids': 'all'}}, 'invalid_field', 'bill_ids')
        check({'json_': {'bill_ids': []}}, 'invalid_field', 'bill_ids')
        check({'json_': {'bill_ids': ['1']}}, 'invalid_field', 'bill_ids[0]')
        check({'json_': {'bill_ids': [True]}}, 'invalid_field',
            'bill_ids[0]')
        check({'json_': {'bill_ids': [1.5]}}, 'invalid_field', 'bill_ids[0]')
        check({'json_': {'bill_ids': [0]}}, 'invalid_field', 'bill_ids[0]')
        check({'json_': {'bill_ids': [1, 1]}}, 'invalid_field', 'bill_ids')
        check({'json_': {'bill_ids': list(range(1, 60))}}, 'invalid_field',
            'bill_ids')
        check({'json_': {'bill_ids': [1], 'amount': '0.01'}},
            'invalid_field', 'amount')
        check({'json_': [1, 2]}, 'invalid_field')
        check({'data': b'{"bill_ids": [1'}, 'invalid_json',
            headers={'Content-Type': 'application/json'})
        check({'data': b'bill_ids=1'}, 'invalid_json',
            headers={'Content-Type': 'application/x-www-form-urlencoded'})
        huge = json.dumps({'bill_ids': [1], 'x': 'x' * 100000})
        self.assertError(self.call('POST', 'owner/bills/check', self.token_a,
                data=huge, headers={'Content-Type': 'application/json'}),
            413, 'too_large')
        self.assertError(self.call('POST', 'owner/sms/send',
                json_={'phone': 13800000000}), 400, 'invalid_field', 'phone')
        self.assertError(self.call('POST', 'owner/sms/send',
                json_={'phone': '12345'}), 400, 'invalid_field', 'phone')
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': '13800000303', 'code': '12ab56'}),
            400, 'invalid_field', 'code')
        self.assertError(self.call('POST', 'owner/login/wechat',
                json_={'code': 'x' * 200}), 400, 'invalid_field', 'code')
        # nothing was written by any of them
        self.assertEqual(self.count('portal.sms_code',
                [('phone', 'in', ['12345', '13800000000'])]), 0)

    def test_ids_beyond_the_database(self):
        "Ids no record can have: 404 in a path, 400 in a body or query"
        # they reached the database: SQLite cannot bind 2**63 (500)
        for value in [2 ** 31, 2 ** 63, 10 ** 30]:
            for method, path in [('GET', f'owner/bills/{value}'),
                    ('GET', f'owner/receipts/{value}/pdf'),
                    ('GET', f'owner/tickets/{value}'),
                    ('GET', f'owner/notices/{value}/attachments/'
                        f'{self.attachment}'),
                    ('POST', f'owner/messages/{value}/read')]:
                with self.subTest(path=path):
                    self.assertError(self.call(method, path, self.token_a,
                            {} if method == 'POST' else None),
                        404, 'not_found')
            with self.subTest(value=value):
                self.assertError(self.call('POST', 'owner/bills/check',
                        self.token_a, {'bill_ids': [value]}),
                    400, 'invalid_field', 'bill_ids[0]')
                self.assertError(self.call('POST', 'owner/payments',
                        self.token_a, {'bill_ids': [value],
                            'channel': 'sandbox'}),
                    400, 'invalid_field', 'bill_ids[0]')
                self.assertError(self.call('GET',
                        f'owner/bills?resource={value}', self.token_a),
                    400, 'invalid_field', 'resource')
                for field in ['category', 'location', 'resource',
                        'project']:
                    self.assertError(self.call('POST', 'owner/tickets',
                            self.token_c, {'kind': 'repair',
                                'description': "漏水", field: value}),
                        400, 'invalid_field', field)

    def test_characters_refused(self):
        "NUL and lone surrogates in any text: 400 naming the field"
        before = self.count('helpdesk.ticket')
        # PostgreSQL refuses NUL in text, UTF-8 cannot encode a lone
        # surrogate: both were 500
        for field, text in [('description', "漏\x00水"), ('place', '\x00'),
                ('title', "漏水\ud800")]:
            with self.subTest(field=field):
                error = self.assertError(self.call('POST', 'owner/tickets',
                        self.token_c, {'kind': 'repair',
                            'description': "漏水", field: text},
                        language='zh-CN'), 400, 'invalid_field', field)
                self.assertIn("不允许的字符", error['message'])
        self.assertEqual(self.count('helpdesk.ticket'), before)
        # the phone is echoed in the message: that answer was an HTML 500
        self.assertError(self.call('POST', 'owner/sms/send',
                json_={'phone': '\ud800'}), 400, 'invalid_field', 'phone')
        # the code went to WeChat, which could not encode it: 502
        with FakeNetwork().active(), portal_config(
                wechat_appid='wxappid', wechat_secret='s'):
            self.assertError(self.call('POST', 'owner/login/wechat',
                    json_={'code': '\udfff'}), 400, 'invalid_field', 'code')
        self.assertError(self.call('GET', 'owner/tickets?kind=repair%00',
                self.token_c), 400, 'invalid_field', 'kind')
        # an unknown field named with one is still answered as JSON
        error = self.assertError(self.call('POST', 'owner/bills/check',
                self.token_a, data=b'{"bill_ids": [1], "\\ud800": 1}',
                headers={'Content-Type': 'application/json'}),
            400, 'invalid_field')
        self.assertEqual(error['field'], '\ud800')

    def test_deep_and_odd_input(self):
        "Deeply nested JSON, non-ASCII digits, a newline in the path"
        deep = b'[' * 5000 + b']' * 5000
        for body in [deep, b'{"bill_ids": [1], "x": ' + deep + b'}']:
            # json.loads raised RecursionError: 500
            self.assertError(self.call('POST', 'owner/bills/check',
                    self.token_a, data=body,
                    headers={'Content-Type': 'application/json'}),
                400, 'invalid_json')
        # int() and \d take any Unicode digit: "１" was a limit of 1 and
        # "１２３４５６" a wrong code, counted as an attempt
        self.assertError(self.call('GET', 'owner/bills?limit=%EF%BC%91',
                self.token_a), 400, 'invalid_field', 'limit')
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': '13800000304',
                    'code': '\uff11\uff12\uff13\uff14\uff15\uff16'}),
            400, 'invalid_field', 'code')
        # the catch-all did not match a newline: werkzeug's HTML 404
        for method, path in [('POST', 'owner/tickets/%0A/rate'),
                ('GET', 'owner/bills/1%0A'), ('GET', 'owner/%0A')]:
            with self.subTest(path=path):
                self.assertError(self.call(method, path, self.token_a),
                    404, 'not_found')
        # an empty query value is no value, as the document says
        response = self.call('GET', 'owner/tickets?kind=&state=&limit=',
            self.token_b)
        self.assertEqual(response.status_code, 200, response.data)

    def test_openapi_document_details(self):
        "What the served document says matches what the API does"
        paths = self.call('GET', 'openapi.json', prefix=False).json['paths']

        def content(path, method='get'):
            return paths[path][method]['responses']['200']['content']
        # a notice attachment has the type of its file, a photo its image
        # type: both were documented as application/octet-stream only
        self.assertEqual(list(content(
                    '/owner/notices/{notice_id}/attachments/'
                    '{attachment_id}')), ['*/*'])
        self.assertEqual(list(content(
                    '/owner/tickets/{ticket_id}/photos/{attachment_id}')),
            ['image/png', 'image/jpeg', 'image/webp',
                'application/octet-stream'])
        # a body without required fields may be left out
        self.assertFalse(
            paths['/owner/messages/read-all']['post']['requestBody'][
                'required'])
        self.assertEqual(self.call('POST', 'owner/messages/read-all',
                self.token_d).json, {'marked': 0})
        self.assertTrue(
            paths['/owner/bills/check']['post']['requestBody']['required'])
        # patterns are matched whole, as the JSON Schema now says
        code = paths['/owner/verify/sms']['post']['requestBody']['content'][
            'application/json']['schema']['properties']['code']
        self.assertEqual(code['pattern'], r'^(?:\d{6})$')
        self.assertTrue(all(p['allowEmptyValue']
                for p in paths['/owner/tickets']['get']['parameters']))
        bill_id, = paths['/owner/bills/{bill_id}']['get']['parameters']
        self.assertEqual(bill_id['schema']['maximum'], api.MAX_ID)

    def test_ticket_photo_form(self):
        "Unknown form fields are refused; control characters leave the name"
        png = b'\x89PNG\r\n\x1a\n' + b'\0' * 64
        created = self.call('POST', 'owner/tickets', self.token_c,
            {'kind': 'repair', 'description': "门锁坏了"})
        self.assertEqual(created.status_code, 200, created.data)
        tid = created.json['ticket']['id']

        def upload(**fields):
            return self.call('POST', f'owner/tickets/{tid}/photos',
                self.token_c, data=fields)
        self.assertError(upload(photo=(io.BytesIO(png), 'a.png'), note="x"),
            400, 'invalid_field', 'note')
        self.assertError(upload(photo=(io.BytesIO(png), 'a.png'),
                extra=(io.BytesIO(png), 'b.png')), 400, 'invalid_field',
            'extra')
        # NUL in the file name: PostgreSQL refused the attachment (500)
        uploaded = upload(photo=(io.BytesIO(png), 'a\x00b\x07.png'))
        self.assertEqual(uploaded.status_code, 200, uploaded.data)
        self.assertEqual(uploaded.json['photo']['name'], 'ab.png')
        photos = self.call('GET', f'owner/tickets/{tid}', self.token_c).json[
            'photos']
        self.assertEqual([p['name'] for p in photos], ['ab.png'])

    # -- receipts ---------------------------------------------------------

    def test_receipts(self):
        "The owner's receipts, their detail and their PDF; not others'"
        listing = self.call('GET', 'owner/receipts', self.token_a).json
        self.assertEqual(listing['total_count'], 1)
        receipt, = listing['receipts']
        self.assertEqual((receipt['id'], receipt['total'], receipt['state']),
            (self.receipt_a, '205.85', 'done'))
        self.assertEqual(receipt['resource']['code'], '2-1-301')
        detail = self.call('GET', f'owner/receipts/{self.receipt_a}',
            self.token_a).json
        line, = detail['lines']
        self.assertEqual((line['bill_id'], line['amount'],
                line['fee_item']['name']), (self.bill_old, '205.85', "物业费"))
        self.assertEqual(detail['payments'],
            [{'method': "现金", 'amount': '205.85'}])
        pdf = self.call('GET', f'owner/receipts/{self.receipt_a}/pdf',
            self.token_a)
        self.assertEqual(pdf.status_code, 200, pdf.data[:500])
        self.assertEqual(pdf.mimetype, 'application/pdf')
        self.assertTrue(pdf.data.startswith(b'%PDF'))
        self.assertIn("filename*=UTF-8''CH-",
            pdf.headers['Content-Disposition'])
        for path in [f'owner/receipts/{self.receipt_b}',
                f'owner/receipts/{self.receipt_b}/pdf',
                'owner/receipts/99999999']:
            self.assertError(self.call('GET', path, self.token_a), 404,
                'not_found')
        self.assertEqual(self.call('GET', 'owner/receipts', self.token_c
                ).json['total_count'], 0)

    # -- notices ----------------------------------------------------------

    def test_notices(self):
        "Published notices in their window for the owner's projects"
        listing = self.call('GET', 'owner/notices', self.token_b).json
        titles = [n['title'] for n in listing['notices']]
        self.assertEqual(titles, ["电梯保养", "停水通知"])
        self.assertEqual(listing['unread_count'], 2)
        self.assertEqual([n['read'] for n in listing['notices']],
            [False, False])
        self.assertEqual(listing['notices'][1]['summary'], "明天停水")

        notice_id = self.notices["停水通知"]
        detail = self.call('GET', f'owner/notices/{notice_id}',
            self.token_b).json
        self.assertEqual(detail['body'], '<p>明天<b>停水</b></p>')
        attachment, = detail['attachments']
        self.assertEqual(attachment['name'], "停水范围.txt")
        again = self.call('GET', 'owner/notices', self.token_b).json
        self.assertEqual([n['read'] for n in again['notices']],
            [False, True])
        self.assertEqual(again['unread_count'], 1)
        unread = self.call('GET', 'owner/notices?unread=true',
            self.token_b).json
        self.assertEqual([n['title'] for n in unread['notices']],
            ["电梯保养"])
        # reading twice records one read
        self.call('GET', f'owner/notices/{notice_id}', self.token_b)
        self.assertEqual(self.count('property.notice.read',
                [('notice', '=', notice_id)]), 1)
        self.assertEqual(self.call('GET', 'owner/me', self.token_b).json[
                'unread_notices'], 1)

        file = self.call('GET', f'owner/notices/{notice_id}/attachments/'
            f'{self.attachment}', self.token_b)
        self.assertEqual(file.status_code, 200)
        self.assertEqual(file.data.decode('utf-8'), "2号楼、3号楼")
        self.assertError(self.call('GET', f'owner/notices/{notice_id}/'
                f'attachments/{self.other_attachment}', self.token_b),
            404, 'not_found')

        # other projects, other buildings, drafts, expired, future: 404
        for title in ["绿园通知", "3号楼通知", "草稿", "过期", "未来"]:
            with self.subTest(title=title):
                self.assertError(self.call('GET',
                        f'owner/notices/{self.notices[title]}',
                        self.token_b), 404, 'not_found')
        self.assertError(self.call('GET',
                f'owner/notices/{self.notices["绿园通知"]}/attachments/'
                f'{self.other_attachment}', self.token_b), 404, 'not_found')
        self.assertEqual(
            [n['title'] for n in self.call('GET', 'owner/notices',
                    self.token_c).json['notices']], ["绿园通知"])
        self.assertEqual(
            [n['title'] for n in self.call('GET', 'owner/notices',
                    self.token_d).json['notices']],
            ["电梯保养", "3号楼通知", "停水通知"])

    def test_inbox(self):
        "In-app messages sent to the owner, read status, never another's"
        self.call('POST', 'owner/messages/read-all', self.token_a, {})
        now = dt.datetime.now().replace(microsecond=0)

        def create(pool):
            Outbox = pool.get('message.outbox')
            values = {'company': self.company, 'channel': 'in_app',
                'party': self.owner_a, 'state': 'sent', 'attempts': 1,
                'max_attempts': 3}
            older, newer, queued, sms, other = Outbox.create([
                    {**values, 'subject': "缴费提醒", 'body': "您有 2 笔未缴",
                        'sent_date': now - dt.timedelta(hours=1)},
                    {**values, 'subject': "停水通知", 'body': "明天停水",
                        'sent_date': now,
                        'origin': f'property.notice,{self.notices["停水通知"]}'},
                    {**values, 'subject': "未发送", 'state': 'queued'},
                    {**values, 'channel': 'sms', 'subject': "短信",
                        'sent_date': now},
                    {**values, 'party': self.owner_b, 'subject': "给B",
                        'sent_date': now},
                    ])
            return older.id, newer.id, queued.id, sms.id, other.id
        older, newer, queued, sms, other = self.in_db(create)

        inbox = self.call('GET', 'owner/messages?limit=100', self.token_a)
        self.assertEqual(inbox.status_code, 200, inbox.data)
        ids = [m['id'] for m in inbox.json['messages']]
        self.assertEqual([i for i in ids if i in {older, newer}],
            [newer, older])
        self.assertFalse({queued, sms, other} & set(ids))
        self.assertEqual(inbox.json['unread_count'], 2)
        first = inbox.json['messages'][ids.index(newer)]
        self.assertEqual((first['subject'], first['body'], first['read'],
                first['topic'], first['notice_id']),
            ("停水通知", "明天停水", False, 'notice',
                self.notices["停水通知"]))
        self.assertEqual(self.call('GET', 'owner/me', self.token_a).json[
                'unread_messages'], 2)

        # another owner's message, a queued one, an SMS: unknown
        for message_id in [other, queued, sms, 999999]:
            self.assertError(self.call('POST',
                    f'owner/messages/{message_id}/read', self.token_a, {}),
                404, 'not_found')
        self.assertEqual(self.call('GET', 'owner/messages', self.token_b
                ).json['unread_count'], 1)

        read = self.call('POST', f'owner/messages/{older}/read',
            self.token_a, {}).json['message']
        self.assertEqual((read['id'], read['read']), (older, True))
        unread = self.call('GET', 'owner/messages?unread=true',
            self.token_a).json
        self.assertEqual(([m['id'] for m in unread['messages']],
                unread['total_count'], unread['unread_count']),
            ([newer], 1, 1))
        self.assertEqual(self.call('POST', 'owner/messages/read-all',
                self.token_a, {}).json, {'marked': 1})
        self.assertEqual(self.call('POST', 'owner/messages/read-all',
                self.token_a, {}).json, {'marked': 0})
        self.assertEqual(self.call('GET', 'owner/me', self.token_a).json[
                'unread_messages'], 0)
        self.assertError(self.call('GET', 'owner/messages'), 401,
            'unauthorized')

    def test_payment_channels(self):
        "The channels of the owner's projects that take their bills"
        self.assertEqual(self.call('GET', 'owner/payment-channels',
                self.token_a).json, {'channels': [{'kind': 'sandbox',
                        'name': "模拟支付", 'project_ids': [self.project]}]})
        self.assertEqual(self.call('GET', 'owner/payment-channels',
                self.token_c).json['channels'][0]['project_ids'],
            [self.other_project])

    def test_notice_workflow(self):
        "Publishing needs a project, pushes once; archived notices go away"
        def workflow(pool):
            Notice = pool.get('property.notice')
            Outbox = pool.get('message.outbox')
            with Transaction().set_context(company=self.company):
                orphan, notice = Notice.create([{'title': "无项目"}, {
                            'title': "消防演练",
                            'body': '<p onmouseover="x()">周五</p>',
                            'projects': [('add', [self.project])],
                            'push_channel': 'in_app',
                            }])
                self.assertEqual(notice.body, '<p>周五</p>')
                with self.assertRaises(UserError):
                    Notice.publish([orphan])
                Notice.publish([notice])
                pushed = Outbox.search_count([('origin', '=', str(notice))])
                self.assertEqual(notice.pushed_count, pushed)
                self.assertTrue(pushed >= 3)
                with self.assertRaises(UserError):
                    Notice.delete([notice])
                Notice.draft([notice])
                Notice.write([notice], {'body': '<script>x</script>再次'})
                self.assertEqual(notice.body, '再次')
                Notice.publish([notice])
                self.assertEqual(Outbox.search_count(
                        [('origin', '=', str(notice))]), pushed)
                Notice.delete([orphan])
                return notice.id
        notice_id = self.in_db(workflow)
        self.assertIn(notice_id, [n['id'] for n in self.call(
                    'GET', 'owner/notices', self.token_a).json['notices']])

        def archive(pool):
            Notice = pool.get('property.notice')
            Notice.archive([Notice(notice_id)])
        self.in_db(archive)
        self.assertNotIn(notice_id, [n['id'] for n in self.call(
                    'GET', 'owner/notices', self.token_a).json['notices']])
        self.assertError(self.call('GET', f'owner/notices/{notice_id}',
                self.token_a), 404, 'not_found')

    # -- SMS verification -------------------------------------------------

    def test_sms_verification(self):
        "A code to a phone on file verifies the owner and links resources"
        party_id, phone = self.spare(0)
        code = self.send_code(phone)
        response = self.call('POST', 'owner/verify/sms',
            json_={'phone': phone, 'code': code})
        self.assertEqual(response.status_code, 200, response.data)
        session = response.json
        self.assertTrue(session['verified'])
        self.assertEqual(session['owner']['id'], party_id)
        resource, = session['linked_resources']
        self.assertEqual(resource['code'], '2-1-303')
        self.assertTrue(session['expires_at'])

        def verifications(pool):
            Verification = pool.get('property.owner.verification')
            return [(v.state, v.channel, v.party.id if v.party else None,
                    [r.code for r in v.linked_resources])
                for v in Verification.search([('phone', '=', phone)])]
        self.assertEqual(self.in_db(verifications),
            [('verified', 'sms', party_id, ['2-1-303'])])

        token = session['token']
        me = self.call('GET', 'owner/me', token).json
        self.assertEqual((me['verified'], me['phone'], me['verified_with']),
            (True, '138****0303', 'sms'))
        self.assertEqual(self.call('GET', 'owner/bills', token).status_code,
            200)
        # the code is used up
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': phone, 'code': code}), 400, 'code_invalid')
        # the next verification of the phone reuses its account
        with portal_config(sms_interval=0):
            code = self.send_code(phone)
        again = self.call('POST', 'owner/verify/sms',
            json_={'phone': f'+86 {phone[:3]}-{phone[3:]}', 'code': code})
        self.assertEqual(again.status_code, 200, again.data)
        self.assertEqual(self.count('web.user', [('phone', '=', phone)]), 1)

    def test_phone_not_on_file(self):
        "A phone nobody has on file fails, and the failure is recorded"
        phone = '13900000001'
        code = self.send_code(phone)
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': phone, 'code': code}), 403,
            'phone_not_on_file')
        self.assertEqual(self.count('property.owner.verification',
                [('phone', '=', phone), ('state', '=', 'failed'),
                    ('reason', '=', 'no_owner')]), 1)
        self.assertEqual(self.count('web.user', [('phone', '=', phone)]), 0)

        phone = '13700000000'
        code = self.send_code(phone)
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': phone, 'code': code}), 409,
            'phone_ambiguous')
        self.assertEqual(self.count('property.owner.verification',
                [('phone', '=', phone), ('reason', '=', 'ambiguous')]), 1)

    def test_code_attempts_and_expiry(self):
        "Wrong codes count, the code locks after 5; old codes expire"
        _, phone = self.spare(1)
        code = self.send_code(phone)
        wrong = f'{(int(code) + 1) % 1000000:06d}'
        for left in [4, 3, 2, 1]:
            error = self.assertError(self.call('POST', 'owner/verify/sms',
                    json_={'phone': phone, 'code': wrong}), 400,
                'code_wrong', 'code')
            self.assertEqual(error['attempts_left'], left)
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': phone, 'code': wrong}), 429, 'code_locked')
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': phone, 'code': code}), 429, 'code_locked')
        self.assertEqual(self.count('web.user', [('phone', '=', phone)]), 0)

        with portal_config(sms_interval=0):
            code = self.send_code(phone)

        def expire(pool):
            SmsCode = pool.get('portal.sms_code')
            SmsCode.write(SmsCode.search([('phone', '=', phone)]), {
                    'expires_at': dt.datetime.now() - dt.timedelta(
                        seconds=1)})
        self.in_db(expire)
        self.assertError(self.call('POST', 'owner/verify/sms',
                json_={'phone': phone, 'code': code}), 400, 'code_expired')

        def stored(pool):
            SmsCode = pool.get('portal.sms_code')
            return [(c.code_hash, c.salt) for c in SmsCode.search(
                    [('phone', '=', phone)])]
        for code_hash, salt in self.in_db(stored):
            self.assertNotIn(code, code_hash)
            self.assertEqual(len(code_hash), 64)

    def test_sms_rate_limits(self):
        "Per phone: one a minute, 5 an hour; per IP: a limit an hour"
        _, phone = self.spare(2)
        self.send_code(phone, ip='198.51.100.1')
        response = self.call('POST', 'owner/sms/send',
            json_={'phone': phone}, ip='198.51.100.2')
        self.assertError(response, 429, 'rate_limited')
        self.assertTrue(0 < int(response.headers['Retry-After']) <= 60)
        with portal_config(sms_interval=0):
            for i in range(4):
                self.send_code(phone, ip=f'198.51.100.{10 + i}')
            self.assertError(self.call('POST', 'owner/sms/send',
                    json_={'phone': phone}, ip='198.51.100.30'),
                429, 'rate_limited')
        self.assertEqual(self.count('portal.sms_code',
                [('phone', '=', phone)]), 5)

        with portal_config(sms_ip_hour=2):
            ip = '203.0.113.7'
            for index in [3, 4]:
                self.send_code(self.spare(index)[1], ip=ip)
            self.assertError(self.call('POST', 'owner/sms/send',
                    json_={'phone': self.spare(5)[1]}, ip=ip),
                429, 'rate_limited')
            # another network is not limited
            self.send_code(self.spare(5)[1], ip='203.0.113.8')

    # -- WeChat -----------------------------------------------------------

    def test_wechat_login_and_phone(self):
        "Login with wx.login, verify with the phone button"
        party_id, phone = self.spare(6)
        self.in_db(lambda pool: pool.get('portal.wechat_token').delete(
                pool.get('portal.wechat_token').search([])))
        network = FakeNetwork()
        network.sessions['LOGIN-1'] = 'oWECHAT00000000000000000006'
        network.phones['PHONE-1'] = phone
        with portal_config(wechat_appid='wxappid', wechat_secret='secret'), \
                network.active():
            login = self.call('POST', 'owner/login/wechat',
                json_={'code': 'LOGIN-1'})
            self.assertEqual(login.status_code, 200, login.data)
            self.assertFalse(login.json['verified'])
            token = login.json['token']
            self.assertError(self.call('GET', 'owner/bills', token), 403,
                'not_verified')
            self.assertError(self.call('POST', 'owner/verify/wechat-phone',
                    token, {'code': 'BAD'}), 400, 'wechat_code_invalid')
            verified = self.call('POST', 'owner/verify/wechat-phone', token,
                {'code': 'PHONE-1'})
            self.assertEqual(verified.status_code, 200, verified.data)
            self.assertEqual(verified.json['token'], token)
            self.assertEqual(verified.json['owner']['id'], party_id)
            me = self.call('GET', 'owner/me', token).json
            self.assertEqual((me['verified'], me['wechat'],
                    me['verified_with']), (True, True, 'wechat_phone'))
            # a second login finds the same account
            relogin = self.call('POST', 'owner/login/wechat',
                json_={'code': 'LOGIN-1'})
            self.assertTrue(relogin.json['verified'])
            self.assertError(self.call('POST', 'owner/login/wechat',
                    json_={'code': 'NOPE'}), 400, 'wechat_code_invalid')
        paths = [p for _, p, _, _ in network.requests]
        self.assertEqual(paths.count('/sns/jscode2session'), 3)
        # the access token is kept in the database, but the failed call's
        # transaction (bad code) rolled its copy back
        self.assertEqual(paths.count('/cgi-bin/token'), 2)
        self.assertEqual(self.count('portal.wechat_token'), 1)
        self.assertEqual(self.count('property.owner.verification',
                [('phone', '=', phone), ('channel', '=', 'wechat_phone'),
                    ('reference', '=', 'oWECHAT00000000000000000006')]), 1)
        # not configured: a clear error, no network
        with portal_config(wechat_appid=''):
            self.assertError(self.call('POST', 'owner/login/wechat',
                    json_={'code': 'LOGIN-1'}), 502, 'upstream_failed')

    # -- messages ---------------------------------------------------------

    def test_publish_pushes_to_verified_owners(self):
        "Publishing queues one message per verified owner of its targets"
        def publish(pool):
            Notice = pool.get('property.notice')
            Outbox = pool.get('message.outbox')
            with Transaction().set_context(company=self.company):
                sms_notice, wx_notice = Notice.create([{
                            'title': "燃气检修",
                            'body': "<p>周三燃气检修</p>",
                            'projects': [('add', [self.project])],
                            'push_channel': 'sms',
                            }, {
                            'title': "绿园停电",
                            'projects': [('add', [self.project,
                                        self.other_project])],
                            'push_channel': 'wechat_subscribe',
                            }])
                Notice.publish([sms_notice, wx_notice])
                messages = Outbox.search([('origin', 'in',
                            [str(sms_notice), str(wx_notice)])])
                return {(m.channel, m.party.id, m.address, m.subject)
                    for m in messages}, [m.id for m in messages]
        network = FakeNetwork()
        with network.active():
            messages, ids = self.in_db(publish)
        self.assertLessEqual({
                ('sms', self.owner_a, '13800000301', "燃气检修"),
                ('sms', self.owner_b, '13800000302', "燃气检修"),
                ('sms', self.owner_d, '13800000999', "燃气检修"),
                ('wechat_subscribe', self.owner_d, OPENID_D, "绿园停电"),
                }, messages)
        self.assertNotIn(self.owner_c, {m[1] for m in messages
                if m[0] == 'sms'})

        def send(pool):
            Outbox = pool.get('message.outbox')
            messages = Outbox.browse(ids)
            Outbox.send(messages)
            return {m.channel: m.state for m in Outbox.browse(ids)}
        with portal_config(wechat_appid='wxappid', wechat_secret='s',
                wechat_subscribe_template='TPL-1'), network.active(), \
                self.assertLogs(SMS_LOGGER, 'INFO') as logs:
            states = self.in_db(send)
        self.assertEqual(states, {'sms': 'sent', 'wechat_subscribe': 'sent'})
        self.assertTrue(any("周三燃气检修" in line for line in logs.output))
        sent, = [json.loads(body) for _, path, _, body in network.requests
            if path == '/cgi-bin/message/subscribe/send']
        self.assertEqual(sent['touser'], OPENID_D)
        self.assertEqual(sent['template_id'], 'TPL-1')
        self.assertEqual(sent['data']['thing1'], {'value': "绿园停电"})

    def test_outbox_provider_backends(self):
        "SMS through Aliyun and Tencent, WeChat errors fail the message"
        def queue_and_send(pool, channel, **values):
            Outbox = pool.get('message.outbox')
            message, = Outbox.queue([{
                        'company': self.company, 'channel': channel,
                        'party': self.owner_a, 'subject': "缴费提醒",
                        'body': "您有 3 笔物业费未缴", **values}])
            Outbox.send([message])
            message = Outbox(message.id)
            return message.state, message.last_error, message.attempts

        network = FakeNetwork()
        base = dict(sms_sign_name="爱尚物业", sms_message_template='SMS_1',
            aliyun_access_key_id='AK', aliyun_access_key_secret='SK',
            tencent_secret_id='SID', tencent_secret_key='SKEY',
            tencent_sms_app_id='1400000000')
        with network.active():
            with portal_config(sms_backend='aliyun', **base):
                state, error, _ = self.in_db(lambda pool: queue_and_send(
                        pool, 'sms', address='13800000301'))
            self.assertEqual((state, error), ('sent', None))
            host, _, query, body = network.requests[-1]
            self.assertTrue(host.startswith('dysmsapi'))
            sent = {**query, **dict(
                    p.split('=', 1) for p in (body or '').split('&') if p)}
            self.assertEqual(sent['PhoneNumbers'], '13800000301')
            self.assertEqual(sent['TemplateCode'], 'SMS_1')

            with portal_config(sms_backend='tencent', **base):
                state, error, _ = self.in_db(lambda pool: queue_and_send(
                        pool, 'sms', address='13800000301',
                        template_id='T-9', parameters={'n': '3'}))
            self.assertEqual((state, error), ('sent', None))
            host, _, _, body = network.requests[-1]
            self.assertTrue(host.startswith('sms.tencentcloudapi'))
            sent = json.loads(body)
            self.assertEqual(sent['PhoneNumberSet'], ['+8613800000301'])
            self.assertEqual(
                (sent['TemplateId'], sent['TemplateParamSet']),
                ('T-9', ['3']))

            with portal_config(sms_backend='aliyun', sms_message_template=''):
                state, error, _ = self.in_db(lambda pool: queue_and_send(
                        pool, 'sms', address='13800000301'))
            self.assertEqual(state, 'queued')
            self.assertIn("template", error)

            network.fail.add(OPENID_D)
            with portal_config(wechat_appid='wxappid', wechat_secret='s',
                    wechat_subscribe_template='TPL-1'):
                # owner A never signed in with WeChat: no OpenID
                state, error, attempts = self.in_db(
                    lambda pool: queue_and_send(pool, 'wechat_subscribe',
                        address='13800000301'))
                self.assertEqual((state, attempts), ('queued', 1))
                self.assertIn("mini-program", error)
                state, error, _ = self.in_db(lambda pool: queue_and_send(
                        pool, 'wechat_subscribe', party=self.owner_d,
                        address=OPENID_D))
                self.assertEqual(state, 'queued')
                self.assertIn("43101", error)

    def test_reminder_can_use_new_channels(self):
        "The cashier's reminders offer the SMS and WeChat channels"
        channels = self.in_db(lambda pool: dict(
                pool.get('property.reminder').get_channels()))
        self.assertIn('sms', channels)
        self.assertIn('wechat_subscribe', channels)

    # -- payments (O2, S1) ------------------------------------------------

    def test_payments(self):
        "Pay two bills oldest first through the sandbox; refusals"
        first, second, later = self.bills_e
        # a later bill while the older one stays open
        self.assertError(self.call('POST', 'owner/payments', self.token_e,
                {'bill_ids': [later], 'channel': 'sandbox'}),
            409, 'oldest_first')
        # owner A's bill: as if it did not exist
        self.assertError(self.call('POST', 'owner/payments', self.token_e,
                {'bill_ids': [self.bills_a[0]], 'channel': 'sandbox'}),
            404, 'not_found')
        self.assertError(self.call('POST', 'owner/payments', self.token_e,
                {'bill_ids': [first], 'channel': 'cash'}),
            400, 'invalid_field', 'channel')
        # a channel the company does not have
        self.assertError(self.call('POST', 'owner/payments', self.token_e,
                {'bill_ids': [first], 'channel': 'alipay'}),
            409, 'payment_refused')
        self.assertEqual(self.in_db(lambda pool: pool.get(
                    'property.payment.order').search_count([])), 0)

        created = self.call('POST', 'owner/payments', self.token_e,
            {'bill_ids': [second, first], 'channel': 'sandbox'})
        self.assertEqual(created.status_code, 200, created.data)
        order = created.json['order']
        # the server's amount: 205.85 twice, never the client's
        self.assertEqual((order['amount'], order['state'],
                created.json['reused']), ('411.70', 'pending', False))
        again = self.call('POST', 'owner/payments', self.token_e,
            {'bill_ids': [first, second], 'channel': 'sandbox'})
        self.assertEqual((again.json['order']['id'], again.json['reused']),
            (order['id'], True))
        # owner A cannot see it, by id guessing either
        self.assertError(self.call('GET', f'owner/payments/{order["id"]}',
                self.token_a), 404, 'not_found')

        paid = self.client().post(created.json['parameters']['pay_url'])
        self.assertEqual(paid.status_code, 200, paid.data)
        state = self.call('GET', f'owner/payments/{order["id"]}',
            self.token_e).json
        self.assertEqual(state['state'], 'paid')
        self.assertTrue(state['receipt'].startswith('CH-'))
        receipts = self.call('GET', 'owner/receipts', self.token_e).json
        self.assertIn(state['receipt_id'],
            [r['id'] for r in receipts['receipts']])
        bills = self.in_db(lambda pool: [(b.state, b.balance)
                for b in pool.get('property.bill').browse([first, second])])
        self.assertEqual(bills, [('paid', D(0))] * 2)

    # -- tickets (O3, O4) -------------------------------------------------

    def test_locations(self):
        "The public areas of the owner's projects name a ticket's place"
        Ticket = 'helpdesk.ticket'
        locations = self.call('GET', 'owner/locations', self.token_a).json[
            'locations']
        by_id = {l['id']: l for l in locations}
        self.assertEqual(sorted((l['kind'], l['name'],
                    by_id[l['parent_id']]['name'] if l['parent_id'] else None)
                for l in locations), [
                ('building', "10号楼", "翠湖花园"),
                ('building', "2号楼", "翠湖花园"),
                ('building', "3号楼", "翠湖花园"),
                ('project', "翠湖花园", None),
                ('unit', "1单元", "10号楼"),
                ('unit', "1单元", "2号楼"),
                ('unit', "1单元", "3号楼")])
        self.assertEqual({l['project_id'] for l in locations}, {self.project})
        # projects first, then buildings, then units, each as counted
        self.assertEqual([(l['kind'], l['name'], l['parent_id'] and
                    by_id[l['parent_id']]['name']) for l in locations], [
                ('project', "翠湖花园", None),
                ('building', "2号楼", "翠湖花园"),
                ('building', "3号楼", "翠湖花园"),
                ('building', "10号楼", "翠湖花园"),
                ('unit', "1单元", "2号楼"),
                ('unit', "1单元", "3号楼"),
                ('unit', "1单元", "10号楼")])
        self.assertEqual(self.call('GET',
                f'owner/locations?project={self.project}', self.token_a
                ).json['locations'], locations)
        # another owner's project: as an unknown one
        self.assertError(self.call('GET',
                f'owner/locations?project={self.other_project}',
                self.token_a), 404, 'not_found')
        theirs = self.call('GET', 'owner/locations', self.token_c).json[
            'locations']
        self.assertEqual({l['project_id'] for l in theirs},
            {self.other_project})

        building_3 = next(l['id'] for l in locations
            if l['name'] == "3号楼")
        # owner D of 3号楼 (A's tickets stay as test_tickets counts them)
        before = self.count(Ticket)
        self.assertError(self.call('POST', 'owner/tickets', self.token_d, {
                    'kind': 'repair', 'description': "路灯不亮",
                    'location': theirs[0]['id']}),
            400, 'invalid_field', 'location')
        self.assertEqual(self.count(Ticket), before)
        ticket = self.call('POST', 'owner/tickets', self.token_d, {
                'kind': 'repair', 'description': "路灯不亮",
                'location': building_3, 'place': "东侧路口"}).json['ticket']
        self.assertEqual((ticket['area'], ticket['location'],
                ticket['project']['id'], ticket['place']),
            ('public', {'id': building_3, 'name': "3号楼"}, self.project,
                "东侧路口"))

    def test_tickets(self):
        "Report, follow, photograph, discuss, confirm, rate and cancel"
        Ticket = 'helpdesk.ticket'
        PNG = b'\x89PNG\r\n\x1a\n' + b'\0' * 64
        categories = self.call('GET', 'owner/ticket-categories?kind=repair',
            self.token_a).json['categories']
        self.assertEqual([c['id'] for c in categories],
            [self.categories['repair']])
        before = self.count(Ticket)
        # bad input: nothing written, the field named
        for body, field in [
                ({'kind': 'repair', 'description': "漏水",
                    'resource': self.home_b}, 'resource'),
                ({'kind': 'repair', 'description': "漏水",
                    'category': self.categories['complaint']}, 'category'),
                ({'kind': 'fire', 'description': "漏水"}, 'kind'),
                ({'kind': 'repair', 'description': ""}, 'description'),
                ({'kind': 'repair', 'description': " \n "}, 'description'),
                ({'kind': 'repair', 'description': "x", 'owner': 1},
                    'owner'),
                ]:
            with self.subTest(field=field):
                self.assertError(self.call('POST', 'owner/tickets',
                        self.token_a, body), 400, 'invalid_field', field)
        self.assertEqual(self.count(Ticket), before)
        # the owner reads the field's label, not its name
        refused = self.call('POST', 'owner/tickets', self.token_a, {
                'kind': 'repair', 'description': "漏水",
                'category': self.categories['complaint']}, language='zh-CN')
        self.assertIn("“分类”", refused.json['error']['message'])

        created = self.call('POST', 'owner/tickets', self.token_a, {
                'kind': 'repair', 'category': self.categories['repair'],
                'resource': self.home_a, 'description': "厨房水管漏水\n很急"})
        self.assertEqual(created.status_code, 200, created.data)
        ticket = created.json['ticket']
        tid = ticket['id']
        self.assertEqual((ticket['state'], ticket['title'], ticket['area'],
                ticket['resource']['id']),
            ('pending', "厨房水管漏水", 'private', self.home_a))
        self.assertIn('cancel', created.json['actions'])
        public_place = "南门岗亭"
        public = self.call('POST', 'owner/tickets', self.token_a, {
                'kind': 'complaint', 'description': "保安态度差",
                'place': public_place,
                'contact_phone': '13900000000'}).json['ticket']
        self.assertEqual(public['area'], 'public')

        # customer service of the project sees them
        def seen(pool):
            User = pool.get('res.user')
            with as_user(User(self.service_user)):
                return pool.get(Ticket).search([('id', 'in',
                            [tid, public['id']])])
        self.assertEqual(len(self.in_db(seen)), 2)
        reporter, source = self.in_db(lambda pool: (
                lambda t: (t.reporter.id, t.source))(pool.get(Ticket)(tid)))
        self.assertEqual((reporter, source), (self.owner_a, 'owner_app'))

        listed = self.call('GET', 'owner/tickets', self.token_a).json
        self.assertEqual([t['id'] for t in listed['tickets']][:2],
            [public['id'], tid])
        self.assertEqual([t['id'] for t in self.call('GET',
                    'owner/tickets?kind=complaint&state=pending',
                    self.token_a).json['tickets']], [public['id']])
        self.assertEqual([t['id'] for t in self.call('GET',
                    'owner/tickets?kind=suggestion,complaint',
                    self.token_a).json['tickets']], [public['id']])
        self.assertEqual(len(self.call('GET',
                    'owner/tickets?kind=repair,complaint',
                    self.token_a).json['tickets']), 2)
        self.assertError(self.call('GET', 'owner/tickets?kind=repair,fire',
                self.token_a), 400, 'invalid_field', 'kind')
        self.assertEqual((listed['tickets'][0]['project']['id'],
                listed['tickets'][0]['place']), (self.project, public_place))
        self.assertEqual(self.call('GET', 'owner/tickets', self.token_b
                ).json['total_count'], 0)

        # photos
        def upload(data, token=self.token_a, ticket_id=tid):
            return self.call('POST', f'owner/tickets/{ticket_id}/photos',
                token, data={'photo': (io.BytesIO(data), 'a.png')})
        uploaded = upload(PNG)
        self.assertEqual(uploaded.status_code, 200, uploaded.data)
        photo = uploaded.json['photo']
        self.assertEqual(photo['stage'], 'report')
        self.assertError(upload(b'GIF89a' + b'\0' * 20), 400,
            'invalid_field', 'photo')
        with portal_config(photo_max_bytes=100):
            error = self.assertError(upload(PNG + b'\0' * 200), 413,
                'too_large')
            self.assertIn("100 B", error['message'])
        got = self.call('GET', photo['url'], self.token_a)
        self.assertEqual((got.status_code, got.data), (200, PNG))

        # the thread
        posted = self.call('POST', f'owner/tickets/{tid}/messages',
            self.token_a, {'body': "请尽快"})
        self.assertEqual(posted.status_code, 200, posted.data)
        self.assertEqual(posted.json['message']['author_kind'], 'owner')
        self.assertError(self.call('POST', f'owner/tickets/{tid}/messages',
                self.token_a, {'body': "  "}), 400, 'invalid_field', 'body')

        # another owner guessing ids: as unknown ones
        for method, path, body in [
                ('GET', f'owner/tickets/{tid}', None),
                ('GET', f'owner/tickets/{tid}/photos/{photo["id"]}', None),
                ('POST', f'owner/tickets/{tid}/messages', {'body': "x"}),
                ('POST', f'owner/tickets/{tid}/cancel', {'reason': "x"}),
                ('POST', f'owner/tickets/{tid}/rate', {'rating': 5}),
                ('POST', f'owner/tickets/{tid}/appointment/confirm', {}),
                ('GET', 'owner/tickets/999999', None)]:
            with self.subTest(path=path):
                self.assertError(self.call(method, path, self.token_b,
                        body), 404, 'not_found')
        self.assertError(upload(PNG, self.token_b), 404, 'not_found')

        # the appointment proposed by the technician
        self.assertError(self.call('POST',
                f'owner/tickets/{tid}/appointment/confirm', self.token_a,
                {}), 409, 'ticket_action_refused')
        when = dt.datetime(2026, 12, 1, 2, 0)

        def dispatch(pool):
            T = pool.get(Ticket)
            T.accept([T(tid)])
            T.dispatch([T(tid)], self.technician)
            T.propose_appointment([T(tid)], when, by='technician')
            T.post_message([T(tid)], "明早到", kind='technician')
        self.in_db(dispatch)
        # photos of the problem until the work is done
        self.assertEqual(upload(PNG).status_code, 200)
        confirmed = self.call('POST',
            f'owner/tickets/{tid}/appointment/confirm', self.token_a, {})
        self.assertEqual(confirmed.status_code, 200, confirmed.data)
        detail = self.call('GET', f'owner/tickets/{tid}', self.token_a).json
        self.assertEqual((detail['appointment_state'], detail['technician'],
                detail['appointment']),
            ('confirmed', "张师傅", '2026-12-01T02:00:00Z'))
        self.assertEqual([(m['author_kind'], m['mine'])
                for m in detail['messages']],
            [('owner', True), ('technician', False)])
        self.assertEqual(detail['messages'][1]['author'], "张师傅")
        self.assertEqual([m['body'] for m in detail['messages']],
            ["请尽快", "明早到"])
        self.assertEqual([p['id'] for p in detail['photos']][0], photo['id'])
        self.assertEqual(len(detail['photos']), 2)

        # rating once closed
        self.assertError(self.call('POST', f'owner/tickets/{tid}/rate',
                self.token_a, {'rating': 5}), 409, 'ticket_action_refused')

        def finish(pool):
            T = pool.get(Ticket)
            for step in ['take', 'start', 'complete', 'close']:
                getattr(T, step)([T(tid)])
        self.in_db(finish)
        self.assertError(upload(PNG), 409, 'ticket_action_refused')
        self.assertError(self.call('POST', f'owner/tickets/{tid}/rate',
                self.token_a, {'rating': 6}), 400, 'invalid_field', 'rating')
        rated = self.call('POST', f'owner/tickets/{tid}/rate', self.token_a,
            {'rating': 5, 'comment': "很好"})
        self.assertEqual(rated.status_code, 200, rated.data)
        self.assertEqual((rated.json['ticket']['state'],
                rated.json['ticket']['rating']), ('visited', 5))
        self.assertError(self.call('POST', f'owner/tickets/{tid}/cancel',
                self.token_a, {'reason': "不修了"}), 409,
            'ticket_action_refused')

        # withdrawing the pending complaint
        cancelled = self.call('POST', f'owner/tickets/{public["id"]}/cancel',
            self.token_a, {'reason': "已解决"})
        self.assertEqual(cancelled.status_code, 200, cancelled.data)
        self.assertEqual(cancelled.json['ticket']['state'], 'cancelled')
        self.assertEqual(cancelled.json['actions'], [])
        self.assertError(self.call('POST',
                f'owner/tickets/{public["id"]}/messages', self.token_a,
                {'body': "还在吗"}), 409, 'ticket_action_refused')
        self.assertError(upload(PNG, ticket_id=public['id']), 409,
            'ticket_action_refused')

    # -- languages --------------------------------------------------------

    def test_messages_are_translated(self):
        "Errors are in Chinese by default and in English on request"
        zh = self.call('GET', 'owner/bills', language=None)
        self.assertError(zh, 401, 'unauthorized')
        self.assertRegex(zh.json['error']['message'], r'[\u4e00-\u9fff]')
        en = self.call('GET', 'owner/bills', language='en-US')
        self.assertIn("sign in", en.json['error']['message'])
        field = self.call('GET', 'owner/bills?state=x', self.token_a,
            language='zh-CN')
        self.assertIn('state', field.json['error']['message'])
        self.assertRegex(field.json['error']['message'], r'[\u4e00-\u9fff]')


del RouteTestCase
