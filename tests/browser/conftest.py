"""Browser tests run only when asked for: `make test-browser`, i.e.
``pytest tests/browser`` (or a file or test inside it).

The normal run (`make test`, ``pytest`` with the ``testpaths`` of
pyproject.toml) does not collect them: they need Chromium and build their
own demo server. This is done by not collecting, rather than by skip
markers, so that a selected browser test can never be silently skipped.

The fixtures are session wide: the demo database is built once (about two
minutes) for every browser test of the run.

* ``server``: the base URL of a trytond serving a fresh demo database and
  Sao (``aishang demo --no-serve`` in a temporary directory);
* ``demo``: JSON-RPC to that database (logins of the demo, calls as a user),
  for looking up test data and for final assertions;
* ``browser``: the Debian Chromium (/usr/bin/chromium) driven by Playwright;
* ``sao``: opens pages on the server (``sao()`` gives a :class:`SaoPage`
  with login, logout, menu and screenshot helpers), closed at the end of
  the test.
"""
import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / 'test-artifacts'
SAO_ROOT = ROOT / 'build' / 'sao' / 'package'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    ]
DATABASE = 'aishang_demo'
TIMEOUT = 30_000  # ms, for each UI step: the machine is shared


def _explicitly_selected(config):
    base = Path(config.invocation_params.dir)
    for arg in config.args:
        path = Path(base, str(arg).split('::', 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    path = Path(collection_path).resolve()
    if path != HERE and HERE in path.parents \
            and not _explicitly_selected(config):
        return True
    return None


# ---------------------------------------------------------------------------
# JSON-RPC
# ---------------------------------------------------------------------------

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
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    assert 'error' not in answer or not answer['error'], answer
    return answer['result']


def _demo_password(login):
    from aishang.cli import demo_logins
    return next(e[1] for e in demo_logins() if e[0] == login)


class Demo:
    "JSON-RPC to the demo database of the server under test"

    def __init__(self, url):
        self.url = url
        self.db_url = f'{url}{DATABASE}/rpc/'
        self._sessions = {}

    @staticmethod
    def password(login):
        "The password of a demo login (aishang.cli.demo_logins)"
        return _demo_password(login)

    def session(self, login):
        "A session token of the demo user login (cached)"
        if login not in self._sessions:
            user_id, token, _ = _rpc(self.db_url, 'common.db.login',
                [login, {'password': self.password(login)}, 'en'])
            self._sessions[login] = base64.b64encode(
                f'{login}:{user_id}:{token}'.encode()).decode()
        return self._sessions[login]

    def call(self, login, method, *args, context=None):
        """Call method as login; the user's preferences (company,
        language, ...) updated with context are appended to args"""
        session = self.session(login)
        values = self.preferences(login)
        values.update(context or {})
        return _rpc(self.db_url, method, [*args, values], session=session)

    def preferences(self, login):
        return _rpc(self.db_url, 'model.res.user.get_preferences',
            [True, {}], session=self.session(login))


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------

@pytest.fixture(scope='session')
def demo_server(tmp_path_factory):
    """A trytond serving a fresh demo database, Sao and the H5 portal;
    yields its base URL and its log file (the demo's logging: warnings,
    requests and the SMS codes of the console backend)"""
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
            '-c', str(conf), '-d', DATABASE,
            '--logconf', str(var_dir / 'logging.conf')],
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
        yield url, var_dir / 'trytond.log'
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # our own process group
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


@pytest.fixture(scope='session')
def server(demo_server):
    "The base URL of the demo server"
    return demo_server[0]


@pytest.fixture(scope='session')
def server_log(demo_server):
    "The log file of the demo server"
    return demo_server[1]


@pytest.fixture(scope='session')
def demo(server):
    "JSON-RPC to the demo database (see Demo)"
    return Demo(server)


@pytest.fixture(scope='session')
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


@pytest.fixture
def sao(server, browser):
    """A factory of Sao pages: sao(prefix) opens one on the server.

    On failure a screenshot of every page still open is saved as
    <prefix>-failure.png; JavaScript errors of a page fail the test."""
    from playwright.sync_api import expect
    expect.set_options(timeout=TIMEOUT)
    pages = []

    def open_page(prefix='sao', **kwargs):
        page = SaoPage(browser, server, prefix, **kwargs)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


# ---------------------------------------------------------------------------
# Sao
# ---------------------------------------------------------------------------

class SaoPage:
    """A Chromium page on Sao, with the few gestures the tests share.

    Sao DOM: the login dialog is a .modal-dialog with input#login, the
    password one has an input[type=password]; the menu is the tree of
    #menu (rows titled with the menu name, .expander to unfold); each
    action opens a tab of #tablist whose content is
    #tabcontent > .tab-pane.active; the user menu is #user-preferences.
    """

    def __init__(self, browser, url, prefix, width=1440, height=900):
        self.url = url
        self.prefix = prefix
        self.context = browser.new_context(
            viewport={'width': width, 'height': height}, locale='zh-CN',
            accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.errors = []
        self.page.on('pageerror', lambda error: self.errors.append(
                str(error)))
        ARTIFACTS.mkdir(exist_ok=True)

    def close(self):
        self.context.close()

    def screenshot(self, name, settle=400):
        "Save test-artifacts/<prefix>-<name>.png after animations settle"
        self.page.wait_for_timeout(settle)
        path = ARTIFACTS / f'{self.prefix}-{name}.png'
        self.page.screenshot(path=str(path))
        return path

    @property
    def tab(self):
        "The content of the current tab"
        return self.page.locator('#tabcontent > .tab-pane.active')

    def goto(self):
        self.page.goto(self.url)

    def login(self, login, password=None, screenshot=None):
        """Log in as login through Sao's login dialogs; waits for the menu
        of the user"""
        from playwright.sync_api import expect
        page = self.page
        if password is None:
            password = _demo_password(login)
        # The database (read-only input or select, filled by
        # common.db.list), the user name, then the password dialog.
        dialog = page.locator('.modal-dialog').filter(
            has=page.locator('input#login'))
        expect(dialog).to_be_visible()
        expect(dialog.locator('#database:visible')).to_have_value(DATABASE)
        dialog.locator('input#login').fill(login)
        if screenshot:
            self.screenshot(screenshot, settle=500)
        dialog.locator('button[type=submit]').click()
        password_input = page.locator(
            '.modal-dialog input[type=password]:visible')
        expect(password_input).to_be_visible()
        password_input.fill(password)
        password_input.press('Enter')
        expect(page.locator('#user-preferences > a')).to_be_visible()
        expect(page.locator('#menu .column-char').first).to_be_visible()

    def user_name(self):
        return self.page.locator('#user-preferences > a').inner_text()

    def logout(self):
        "注销 from the user menu; waits for the login dialog"
        from playwright.sync_api import expect
        page = self.page
        tabs = page.locator('#tablist li').count()
        # Opening the user menu fills it again from the server
        # (res.notification.get): click 注销 once it is rebuilt
        with page.expect_response(lambda response: '"model.res.notification'
                '.get"' in (response.request.post_data or '')):
            page.locator('#user-preferences > a').click()
        expect(page.locator('#user-preferences > a')).to_have_attribute(
            'aria-expanded', 'true')
        page.locator('#user-preferences a[role=menuitem]').filter(
            has_text=re.compile(r'^\s*注销\s*$')).click()
        if tabs:
            # 该操作需要关闭所有标签. 是否继续?
            confirm = page.locator('.modal-dialog').filter(
                has_text='关闭所有标签')
            expect(confirm).to_be_visible()
            confirm.locator('.modal-footer button').filter(
                has_text='确定').click()
        expect(page.locator('.modal-dialog').filter(
                has=page.locator('input#login'))).to_be_visible()
        expect(page.locator('#menu tr')).to_have_count(0)

    def menu_row(self, title):
        return self.page.locator('#menu tr').filter(
            has=self.page.get_by_title(title, exact=True))

    def open_menu(self, *titles):
        """Unfold the menu along titles and open the last entry; waits
        for its tab"""
        from playwright.sync_api import expect
        for title, child in zip(titles, titles[1:]):
            row = self.menu_row(title)
            expect(row).to_have_count(1)
            if not self.menu_row(child).is_visible():
                row.locator('.expander').click()
            expect(self.menu_row(child)).to_be_visible()
        row = self.menu_row(titles[-1])
        expect(row).to_have_count(1)
        row.locator('.column-char').click()
        expect(self.page.locator('#tablist li.active')).to_contain_text(
            titles[-1])
