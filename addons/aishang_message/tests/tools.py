# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Fixtures shared by the message tests and the addons that send messages"
from trytond.pool import Pool
from trytond.tests.test_tryton import TestCase, activate_module, drop_db

LOGGER = 'trytond.modules.aishang_message'


class MessageDBTestCase(TestCase):
    """A database with aishang_message activated, dropped after the class.

    For behaviour tests: ModuleTestCase would run its model checks again.
    """
    module = 'aishang_message'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(cls.module)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()


def queue(company, count=1, **values):
    "Queue count console messages of company"
    Outbox = Pool().get('message.outbox')
    return Outbox.queue([{
                'company': company.id,
                'channel': 'console',
                'address': f'1380000000{i}',
                'subject': f"Notice {i}",
                'body': "物业费提醒",
                **values} for i in range(count)])
