"""Smoke test of the back office (Sao, Tryton's web client) in Chromium.

Run with `make test-browser` (``pytest tests/browser``); the normal test run
does not collect it (see conftest.py). It needs the Debian ``chromium``
package (/usr/bin/chromium), Sao in build/sao/package (`make sao`) and CJK
fonts for readable screenshots (``fonts-noto-cjk``).

The test builds its own demo database in a temporary directory with the
``aishang demo --no-serve`` command (config, database, modules, zh_CN, demo
data), starts ``trytond`` on a free port, logs in as the demo admin and opens
物业 → 资源. Screenshots go to test-artifacts/.
"""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / 'test-artifacts'
SAO_ROOT = ROOT / 'build' / 'sao' / 'package'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    ]
DATABASE = 'aishang_demo'
TIMEOUT = 30_000  # ms, for each UI step


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _rpc(url, method, params, session=None):
    headers = {'Content-Type': 'application/json'}
    if session:
        headers['Authorization'] = 'Session ' + session
    request = urllib.request.Request(url, headers=headers,
        data=json.dumps({'id': 1, 'method': method, 'params': params})
        .encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert 'error' not in answer or not answer['error'], answer
    return answer['result']


def _demo_admin():
    from aishang.cli import demo_logins
    admin = next(e for e in demo_logins() if e[0] == 'admin')
    return admin[0], admin[1]


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    "A trytond serving a fresh demo database and Sao; yields its base URL"
    if not (SAO_ROOT / 'index.html').exists():
        pytest.fail(f"Sao is missing in {SAO_ROOT}: run `make sao`")
    var_dir = tmp_path_factory.mktemp('demo')
    port = _free_port()
    # The CLI builds the database (config, init, zh_CN, demo data) in a
    # child process: trytond's configuration is global to a process.
    env = dict(os.environ, AISHANG_ROOT=str(ROOT))
    for name in ('TRYTOND_CONFIG', 'TRYTOND_DATABASE_URI', 'DB_NAME',
            'DB_CACHE'):
        env.pop(name, None)
    subprocess.run([sys.executable, '-m', 'aishang.cli', 'demo',
            '--var-dir', str(var_dir), '--host', '127.0.0.1',
            '--port', str(port), '--no-serve'],
        cwd=ROOT, env=env, check=True, timeout=900)
    conf = var_dir / 'trytond.conf'
    log = open(var_dir / 'trytond.log', 'wb')
    process = subprocess.Popen([sys.executable, '-m', 'trytond.cli',
            '-c', str(conf), '-d', DATABASE],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f'http://127.0.0.1:{port}/'
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                version = _rpc(url + 'rpc/', 'common.server.version', [])
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError("trytond did not start:\n"
                        + (var_dir / 'trytond.log').read_text()[-3000:])
                time.sleep(0.3)
        assert version.startswith('8.0'), version
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # our own process group
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


@pytest.fixture(scope='module')
def browser():
    from playwright.sync_api import sync_playwright
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_admin_language_is_zh_cn(server):
    "The demo admin works in Simplified Chinese (server side preference)"
    login, password = _demo_admin()
    db_url = f'{server}{DATABASE}/rpc/'
    user_id, token, _ = _rpc(db_url, 'common.db.login',
        [login, {'password': password}, 'en'])
    session = base64.b64encode(
        f'{login}:{user_id}:{token}'.encode()).decode()
    preferences = _rpc(db_url, 'model.res.user.get_preferences',
        [True, {}], session=session)
    assert preferences['language'] == 'zh_CN'


def test_sao_login_menu_and_resources(server, browser):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    login, password = _demo_admin()
    page = browser.new_page(
        viewport={'width': 1280, 'height': 800}, locale='zh-CN')
    page.set_default_timeout(TIMEOUT)
    errors = []
    page.on('pageerror', lambda error: errors.append(str(error)))
    try:
        page.goto(server)

        # Login dialog: the database (read-only input or select, filled by
        # common.db.list), the user name, then the password dialog.
        dialog = page.locator('.modal-dialog').filter(
            has=page.locator('input#login'))
        expect(dialog).to_be_visible()
        database = dialog.locator('#database:visible')
        expect(database).to_have_value(DATABASE)
        dialog.locator('input#login').fill(login)
        page.wait_for_timeout(500)  # let the dialog's animation settle
        page.screenshot(path=str(ARTIFACTS / 'sao-login.png'))
        dialog.locator('button[type=submit]').click()

        password_input = page.locator(
            '.modal-dialog input[type=password]:visible')
        expect(password_input).to_be_visible()
        password_input.fill(password)
        password_input.press('Enter')

        # Chinese interface: the top level menu of aishang_property is 物业
        menu = page.locator('#menu')
        property_menu = menu.locator('tr').filter(
            has=page.get_by_title('物业', exact=True))
        expect(property_menu).to_have_count(1)
        for title in ['参与者', '公司', '管理']:  # party, company, admin
            expect(menu.get_by_title(title, exact=True)).to_be_visible()

        # 物业 → 资源 opens the resource list in a tab
        property_menu.locator('.expander').click()
        resources_menu = menu.locator('tr').filter(
            has=page.get_by_title('资源', exact=True))
        expect(resources_menu).to_have_count(1)
        resources_menu.locator('.column-char').click()

        expect(page.locator('#tablist li.active')).to_contain_text('资源')
        tab = page.locator('#tabcontent > .tab-pane.active')
        rows = tab.locator('table.tree > tbody > tr')
        expect(rows.first).to_be_visible()
        count = rows.count()
        assert count > 0
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / 'sao-resources.png'))
        assert not errors, errors
    except Exception:
        page.screenshot(path=str(ARTIFACTS / 'sao-failure.png'))
        raise
    finally:
        page.close()
