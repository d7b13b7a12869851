# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The H5 owner portal served under /owner/ from a folder of files made
here (independent of a real build of clients/h5)."""
import os
import tempfile
import unittest

from werkzeug.test import Client

from trytond.modules.aishang_portal import h5
from trytond.wsgi import app

from .tools import portal_config

INDEX = ('<!doctype html><html><head><meta charset="utf-8">'
    '<script type="module" src="/owner/assets/index-abc123.js"></script>'
    '</head><body><div id="app"></div></body></html>')
SCRIPT = 'console.log("爱尚")'


class H5TestCase(unittest.TestCase):
    "H5 owner portal static files"

    def setUp(self):
        self.root = self.enterContext(tempfile.TemporaryDirectory())
        self.dist = os.path.join(self.root, 'dist')
        os.makedirs(os.path.join(self.dist, 'assets'))
        with open(os.path.join(self.dist, 'index.html'), 'w',
                encoding='utf-8') as file:
            file.write(INDEX)
        with open(os.path.join(self.dist, 'assets', 'index-abc123.js'), 'w',
                encoding='utf-8') as file:
            file.write(SCRIPT)
        with open(os.path.join(self.dist, 'assets', 'index-abc123.css'),
                'w', encoding='utf-8') as file:
            file.write('body{margin:0}')
        with open(os.path.join(self.dist, 'favicon.svg'), 'w',
                encoding='utf-8') as file:
            file.write('<svg xmlns="http://www.w3.org/2000/svg"/>')
        # a file beside the build that must never be reachable
        with open(os.path.join(self.root, 'secret.txt'), 'w') as file:
            file.write('secret')
        self.enterContext(portal_config(h5_dir=self.dist))
        self.client = Client(app)

    def test_index(self):
        "/owner/ answers index.html, never cached"
        response = self.client.get('/owner/')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, 'text/html')
        self.assertEqual(response.mimetype_params.get('charset'), 'utf-8')
        self.assertIn('<div id="app">', response.get_data(as_text=True))
        self.assertTrue(response.cache_control.no_cache)

    def test_without_slash(self):
        "/owner redirects to /owner/"
        response = self.client.get('/owner')
        self.assertIn(response.status_code, {301, 308})
        self.assertTrue(response.headers['Location'].endswith('/owner/'))

    def test_client_routes(self):
        "paths of the client-side router answer index.html"
        for path in ['/owner/bills', '/owner/receipts/12',
                '/owner/notices/3/', '/owner/login?redirect=/owner/bills']:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.mimetype, 'text/html')
                self.assertIn('<div id="app">',
                    response.get_data(as_text=True))

    def test_assets(self):
        "assets with their type, hashed ones cached for good"
        for path, mimetype in [
                ('/owner/assets/index-abc123.js', 'text/javascript'),
                ('/owner/assets/index-abc123.css', 'text/css'),
                ('/owner/favicon.svg', 'image/svg+xml'),
                ]:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.mimetype, mimetype)
                self.assertEqual(response.headers['Content-Type'].count(
                        'charset'), 1)
                self.assertEqual(
                    response.headers['X-Content-Type-Options'], 'nosniff')
        response = self.client.get('/owner/assets/index-abc123.js')
        self.assertEqual(response.get_data(as_text=True), SCRIPT)
        self.assertTrue(response.cache_control.immutable)
        self.assertGreater(response.cache_control.max_age, 86400)
        response = self.client.get('/owner/favicon.svg')
        self.assertFalse(response.cache_control.immutable)

    def test_conditional(self):
        "a second request with the ETag answers 304"
        response = self.client.get('/owner/assets/index-abc123.js')
        etag = response.headers['ETag']
        response = self.client.get('/owner/assets/index-abc123.js',
            headers={'If-None-Match': etag})
        self.assertEqual(response.status_code, 304)

    def test_missing_asset(self):
        "a missing file is a 404, not the page"
        for path in ['/owner/assets/gone-0000.js', '/owner/missing.png']:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn('<div id="app">',
                    response.get_data(as_text=True))

    def test_traversal(self):
        "nothing outside the folder is served"
        for path in ['/owner/../secret.txt', '/owner/..%2fsecret.txt',
                '/owner/assets/../../secret.txt',
                '/owner/%2e%2e/secret.txt', '/owner//etc/passwd',
                '/owner/assets/%2e%2e/%2e%2e/secret.txt']:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertNotIn('secret', response.get_data(as_text=True))
                self.assertNotIn('root:', response.get_data(as_text=True))

    def test_not_built(self):
        "without a build: 404 with a hint"
        with portal_config(h5_dir=os.path.join(self.root, 'nothing')):
            response = self.client.get('/owner/bills')
        self.assertEqual(response.status_code, 404)
        self.assertIn('npm run build', response.get_data(as_text=True))

    def test_post(self):
        "the portal is read only"
        response = self.client.post('/owner/')
        self.assertEqual(response.status_code, 405)

    def test_default_dir(self):
        "the default folder is the repository's clients/h5/dist"
        self.assertTrue(h5.default_dir().endswith(
                os.path.join('clients', 'h5', 'dist')))
        self.assertEqual(h5.content_type('a.js'), 'text/javascript')
        self.assertEqual(h5.content_type('a.woff2'), 'font/woff2')
        self.assertEqual(h5.content_type('a.bin'),
            'application/octet-stream')
