# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Ticket statistics (T5) and their export against hand-counted tickets"
import datetime as dt
import io
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import HOUR, HelpdeskTestCase, at, report, setup_helpdesk

D = Decimal
MINUTE = dt.timedelta(minutes=1)
NOW = dt.datetime(2026, 4, 1, 3, 0)


def day(month, day_):
    return dt.datetime(2026, month, day_, 1, 0)


class HelpdeskStatisticsTestCase(HelpdeskTestCase):
    "Statistics per category and per month"

    def scenario(self, fixture):
        """Seven tickets, counted by hand in the test.

        水电维修 (SLA: respond in 1 h, complete in 24 h)
          A 03-02 accepted after 30 min, completed after 5 h, rated 5
          B 03-05 accepted after 90 min, completed after 30 h, closed
          C 03-10 cancelled while pending
          D 04-01 accepted after 10 min, in progress
          H 03-15 in the other project
          G 02-27 before the period
        服务态度 (SLA: respond in 2 h, complete in 48 h)
          E 03-20 never answered
          F 03-21 accepted after 1 h, completed after 10 h, rated 2 and
            so reopened
        """
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        zhang = fixture['zhang']

        def work(ticket, start, accepted, completed=None):
            with at(start + accepted):
                Ticket.accept([ticket])
                Ticket.dispatch([ticket], zhang)
                Ticket.take([ticket])
                Ticket.start([ticket])
            if completed:
                with at(start + completed):
                    Ticket.complete([ticket])
                    Ticket.close([ticket])

        tickets = {}
        for name, when, category, extra in [
                ('A', day(3, 2), 'SD', {}),
                ('B', day(3, 5), 'SD', {}),
                ('C', day(3, 10), 'SD', {}),
                ('D', day(4, 1), 'SD', {}),
                ('H', day(3, 15), 'SD', {
                        'project': fixture['other'].id, 'area': 'public'}),
                ('G', day(2, 27), 'SD', {}),
                ('E', day(3, 20), 'TD', {'area': 'public'}),
                ('F', day(3, 21), 'TD', {'area': 'public'}),
                ]:
            with at(when):
                tickets[name] = report(
                    fixture, f"工单{name}", category=category, **extra)
        work(tickets['A'], day(3, 2), 30 * MINUTE, 5 * HOUR)
        with at(day(3, 3)):
            Ticket.callback([tickets['A']], 5)
        work(tickets['B'], day(3, 5), 90 * MINUTE, 30 * HOUR)
        Ticket.cancel([tickets['C']], "重复报修")
        work(tickets['D'], day(4, 1), 10 * MINUTE)
        work(tickets['H'], day(3, 15), 20 * MINUTE, HOUR)
        work(tickets['G'], day(2, 27), 20 * MINUTE, HOUR)
        work(tickets['F'], day(3, 21), HOUR, 10 * HOUR)
        with at(day(3, 23)):
            Ticket.callback([tickets['F']], 2, "投诉未解决")
        self.assertEqual(tickets['F'].state, 'reopened')
        return tickets

    @with_transaction()
    def test_statistics(self):
        "Created, completed, rates, times, breaches and ratings"
        pool = Pool()
        ByCategory = pool.get('helpdesk.statistics.category')
        ByMonth = pool.get('helpdesk.statistics.month')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            self.scenario(fixture)
            sd, td = (fixture['categories'][c] for c in ['SD', 'TD'])
            columns = ['created', 'cancelled', 'completed', 'open_count',
                'completion_rate', 'response_hours', 'resolution_hours',
                'breaches', 'rated', 'rating']

            def figures(Model, dimension, **context):
                with Transaction().set_context(company=company.id,
                        from_date=dt.date(2026, 3, 1),
                        to_date=dt.date(2026, 4, 30), **context), \
                        at(NOW):
                    return {getattr(r, dimension): [
                            getattr(r, c) for c in columns]
                        for r in Model.search([])}

            self.assertEqual(figures(ByCategory, 'category',
                    project=fixture['project'].id), {
                    # 4 reported, C cancelled: 2 of 3; responses 30, 90
                    # and 10 min; resolutions 300 and 1800 min; B late
                    sd: [4, 1, 2, 1, D('0.6667'), D('0.72'), D('17.50'),
                        1, 1, D('5.00')],
                    # E never answered and F reopened past its deadline
                    td: [2, 0, 0, 2, D('0'), D('1.00'), None, 2, 1,
                        D('2.00')],
                    })
            # Without the project, H of the other project counts too
            self.assertEqual(figures(ByCategory, 'category')[sd][:4],
                [5, 1, 3, 1])
            self.assertEqual(figures(ByCategory, 'category',
                    kind='complaint'), {td: figures(
                        ByCategory, 'category')[td]})
            self.assertEqual(figures(ByMonth, 'month',
                    project=fixture['project'].id), {
                    # responses 30, 90 and 60 min; E never answered
                    '2026-03': [5, 1, 2, 2, D('0.5000'), D('1.00'),
                        D('17.50'), 3, 2, D('3.50')],
                    '2026-04': [1, 0, 0, 1, D('0'), D('0.17'), None, 0, 0,
                        None],
                    })

    @with_transaction()
    def test_export_xlsx(self):
        "The export holds the figures of the report and its filters"
        import openpyxl
        pool = Pool()
        Wizard = pool.get('property.report.export_xlsx', type='wizard')
        company = create_company()
        with set_company(company):
            fixture = setup_helpdesk(company)
            self.scenario(fixture)
            session_id, _, _ = Wizard.create()
            with Transaction().set_context(
                    active_model='helpdesk.statistics.category',
                    active_ids=[], active_id=None, company=company.id,
                    project=fixture['project'].id,
                    from_date=dt.date(2026, 3, 1),
                    to_date=dt.date(2026, 4, 30)), at(NOW):
                result = Wizard.execute(session_id, {}, 'start')
            Wizard.delete(session_id)
            values = result['view']['defaults']
            self.assertEqual(values['count'], 2)
            self.assertTrue(values['filename'].endswith('.xlsx'))
            workbook = openpyxl.load_workbook(io.BytesIO(values['file']))
            title, filters, headers, *body = [[c.value for c in r]
                for r in workbook.active.iter_rows()]
            self.assertEqual(title[0], "Ticket Statistics per Category")
            self.assertIn(fixture['project'].rec_name, filters[0])
            self.assertEqual(headers[:5], ["Category", "Created",
                    "Cancelled", "Open", "Completed"])
            *rows, total = body
            self.assertEqual(
                {r[0]: r[1:5] for r in rows}, {
                    fixture['categories']['SD'].rec_name: [4, 1, 1, 2],
                    fixture['categories']['TD'].rec_name: [2, 0, 2, 0],
                    })
            # The counts are summed, the rates and averages are not
            self.assertEqual(total[:6], ["Total", 6, 1, 3, 2, None])
