# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The H5 owner portal (clients/h5) served as static files under /owner/.

The portal is a single-page application built by Vite with base /owner/:
an existing file is sent as is, any other path without a file extension
gets index.html so that the client-side routes (/owner/bills…) survive a
reload, and a missing asset is a plain 404. The folder is
[aishang_portal] h5_dir, else the repository's clients/h5/dist when it
exists. It talks to the API of the same origin (/aishang/api/v1/).
"""
import mimetypes
import os
import posixpath

from werkzeug.security import safe_join
from werkzeug.utils import send_file

from trytond.protocols.wrappers import Response
from trytond.wsgi import app

from . import settings

PREFIX = '/owner/'
# Vite names the files of assets/ by their content hash
IMMUTABLE = 'assets/'
YEAR = 365 * 24 * 60 * 60
TYPES = {
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.css': 'text/css',
    '.html': 'text/html',
    '.json': 'application/json',
    '.webmanifest': 'application/manifest+json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.woff': 'font/woff',
    '.woff2': 'font/woff2',
    '.ttf': 'font/ttf',
    '.map': 'application/json',
    '.txt': 'text/plain',
    }
NOT_BUILT = (
    "爱尚物业业主端 H5 尚未构建 (the H5 owner portal is not built).\n"
    "Build it: cd clients/h5 && npm ci && npm run build\n"
    "or set [aishang_portal] h5_dir to the folder of a build.\n")


def default_dir():
    "The repository's clients/h5/dist, when this module is in the repository"
    here = os.path.dirname(os.path.realpath(__file__))
    return os.path.normpath(
        os.path.join(here, '..', '..', 'clients', 'h5', 'dist'))


def h5_dir():
    "The folder of the built portal, or None when there is none"
    directory = settings.get('h5_dir') or default_dir()
    if os.path.isfile(os.path.join(directory, 'index.html')):
        return directory
    return None


def content_type(filename):
    extension = posixpath.splitext(filename)[1].lower()
    # werkzeug adds "; charset=utf-8" to the textual types
    return TYPES.get(extension) or mimetypes.guess_type(filename)[0] or (
        'application/octet-stream')


def _send(request, directory, path, max_age, immutable=False):
    response = send_file(os.path.join(directory, *path.split('/')),
        request.environ, mimetype=content_type(path), max_age=max_age,
        response_class=Response, conditional=True, etag=True)
    if immutable:
        response.cache_control.immutable = True
        response.cache_control.public = True
    else:
        # index.html names the hashed assets: always ask again
        response.cache_control.no_cache = True
    response.headers['X-Content-Type-Options'] = 'nosniff'
    return response


def not_built():
    return Response(NOT_BUILT, status=404,
        content_type='text/plain; charset=utf-8')


def not_found():
    return Response("Not Found\n", status=404,
        content_type='text/plain; charset=utf-8')


@app.route(PREFIX, methods=['GET'], defaults={'path': ''})
@app.route(PREFIX + '<path:path>', methods=['GET'])
def h5(request, path):
    "A file of the portal, index.html for the client-side routes"
    directory = h5_dir()
    if directory is None:
        return not_built()
    if path and not path.endswith('/'):
        filename = safe_join(directory, path)
        if filename is None:
            return not_found()
        if os.path.isfile(filename):
            immutable = path.startswith(IMMUTABLE)
            return _send(request, directory, path,
                max_age=YEAR if immutable else 0, immutable=immutable)
        if '.' in posixpath.basename(path):
            # a missing file, not a route: never answer it with the page
            return not_found()
    return _send(request, directory, 'index.html', max_age=0)
