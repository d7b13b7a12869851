"""Smoke test of the back office (Sao, Tryton's web client) in Chromium.

Run with `make test-browser` (``pytest tests/browser``); the normal test run
does not collect it (see conftest.py). It needs the Debian ``chromium``
package (/usr/bin/chromium), Sao in build/sao/package (`make sao`) and CJK
fonts for readable screenshots (``fonts-noto-cjk``).

The session fixtures of conftest.py build the demo database in a temporary
directory with the ``aishang demo --no-serve`` command (config, database,
modules, zh_CN, demo data) and start ``trytond`` on a free port. The test
logs in as the demo admin and opens 物业 → 资源. Screenshots go to
test-artifacts/.
"""
from playwright.sync_api import expect


def test_admin_language_is_zh_cn(demo):
    "The demo admin works in Simplified Chinese (server side preference)"
    assert demo.preferences('admin')['language'] == 'zh_CN'


def test_sao_login_menu_and_resources(sao):
    page = sao('sao')
    try:
        page.goto()
        page.login('admin', screenshot='login')

        # Chinese interface: the top level menu of aishang_property is 物业
        menu = page.page.locator('#menu')
        expect(page.menu_row('物业')).to_have_count(1)
        for title in ['参与者', '公司', '管理']:  # party, company, admin
            expect(menu.get_by_title(title, exact=True)).to_be_visible()

        # 物业 → 资源 opens the resource list in a tab
        page.open_menu('物业', '资源')
        rows = page.tab.locator('table.tree > tbody > tr')
        expect(rows.first).to_be_visible()
        assert rows.count() > 0
        page.screenshot('resources', settle=500)
        assert not page.errors, page.errors
    except Exception as error:
        page.screenshot('failure', settle=0)
        if page.errors:
            raise AssertionError(
                f"JavaScript errors in Sao: {page.errors}") from error
        raise
