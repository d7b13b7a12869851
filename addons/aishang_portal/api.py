# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The framework of the owner HTTP API: routes, JSON, errors, sessions,
request validation and the OpenAPI document.

Each handler is declared with @endpoint next to its request and response
schemas; the declaration registers the route twice (with the database in
the path, as Tryton's own routes, and without it, for the configured
database) and is the source of the OpenAPI document, so the document lists
every route by construction.
"""
import datetime as dt
import json
import logging
import re
from decimal import Decimal
from functools import partial

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import PathConverter

from trytond import backend, config
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.protocols.wrappers import Response, with_transaction
from trytond.transaction import Transaction, TransactionError
from trytond.wsgi import app

from . import settings

logger = logging.getLogger(__name__)

PREFIX = '/aishang/api/v1/'
VERSION = '1.0.0'
LANGUAGES = {'zh': 'zh_CN', 'en': 'en'}
# Errors before a database is known cannot be read from ir.message
STATIC_MESSAGES = {
    'zh_CN': {
        'no_database': "未找到数据库。",
        'not_found': "请求的内容不存在。",
        'unavailable': "服务暂时不可用，请稍后再试。",
        },
    'en': {
        'no_database': "The database was not found.",
        'not_found': "The requested resource does not exist.",
        'unavailable': "The service is unavailable, try again later.",
        },
    }
# HTTP status of each error code, for the OpenAPI document
ERRORS = {
    'bad_request': 400,
    'invalid_json': 400,
    'invalid_field': 400,
    'user_error': 400,
    'code_invalid': 400,
    'code_expired': 400,
    'code_wrong': 400,
    'wechat_code_invalid': 400,
    'unauthorized': 401,
    'forbidden': 403,
    'not_verified': 403,
    'phone_not_on_file': 403,
    'not_found': 404,
    'no_database': 404,
    'conflict': 409,
    'phone_ambiguous': 409,
    'bill_not_payable': 409,
    'oldest_first': 409,
    'payment_refused': 409,
    'ticket_action_refused': 409,
    'too_large': 413,
    'rate_limited': 429,
    'code_locked': 429,
    'internal': 500,
    'upstream_failed': 502,
    'unavailable': 503,
    }
# The declared endpoints, in the order of declaration; filled at import
ENDPOINTS = []
# The largest record id (PostgreSQL INTEGER): larger ids in a path answer
# 404 and in a body 400, instead of reaching the database (SQLite cannot
# bind integers beyond 64 bits)
MAX_ID = 2 ** 31 - 1
# Characters no text field accepts: NUL (PostgreSQL refuses it in text) and
# lone surrogates (not encodable in UTF-8)
INVALID_CHARACTERS = re.compile('[\x00\ud800-\udfff]')


# ---------------------------------------------------------------------------
# JSON

def _default(value):
    if isinstance(value, Decimal):
        return format(value, 'f')
    if isinstance(value, dt.datetime):
        # Tryton keeps naive UTC date-times
        if value.tzinfo is None:
            return value.replace(microsecond=0).isoformat() + 'Z'
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{value.__class__.__name__} is not JSON serializable")


def dumps(data):
    text = json.dumps(data, default=_default, ensure_ascii=False,
        separators=(',', ':'))
    if INVALID_CHARACTERS.search(text):
        # a lone surrogate (echoed from a request) cannot be sent as UTF-8
        text = json.dumps(data, default=_default, separators=(',', ':'))
    return text


def json_response(data, status=200, headers=None):
    return Response(dumps(data), status=status, headers=headers,
        content_type='application/json; charset=utf-8')


def error_body(code, message, field=None, details=None):
    error = {'code': code, 'message': message}
    if field:
        error['field'] = field
    if details:
        error.update(details)
    return {'error': error}


def error_response(code, message, status, field=None, details=None,
        retry_after=None):
    headers = {}
    if retry_after:
        headers['Retry-After'] = str(int(retry_after))
    return json_response(
        error_body(code, message, field, details), status, headers)


def static_error(code, status, language):
    messages = STATIC_MESSAGES.get(language, STATIC_MESSAGES['en'])
    return error_response(code, messages[code], status)


# ---------------------------------------------------------------------------
# Schemas: a small JSON Schema subset used both to validate requests and to
# write the OpenAPI document

def obj(properties, required=(), description=None, additional=False):
    schema = {'type': 'object', 'properties': properties}
    if required:
        schema['required'] = list(required)
    if not additional:
        schema['additionalProperties'] = False
    if description:
        schema['description'] = description
    return schema


def arr(items, **kw):
    return {'type': 'array', 'items': items, **kw}


def string(**kw):
    return {'type': 'string', **kw}


def integer(**kw):
    return {'type': 'integer', **kw}


def boolean(**kw):
    return {'type': 'boolean', **kw}


def identifier(**kw):
    "The id of a record, as a request names it"
    return integer(minimum=1, maximum=MAX_ID, **kw)


def money(description=None):
    schema = {'type': 'string', 'pattern': r'^-?\d+\.\d{2}$',
        'example': '205.85'}
    if description:
        schema['description'] = description
    return schema


def date(**kw):
    return {'type': 'string', 'format': 'date', **kw}


def datetime(**kw):
    return {'type': 'string', 'format': 'date-time', **kw}


def nullable(schema):
    return {**schema, 'nullable': True}


def ref(name):
    return {'$ref': f'#/components/schemas/{name}'}


# Shared response schemas, put in components
SCHEMAS = {}


def component(name, schema):
    "Register schema as a named component and return a reference to it"
    SCHEMAS[name] = schema
    return ref(name)


def _resolve(schema):
    while '$ref' in schema:
        schema = SCHEMAS[schema['$ref'].rsplit('/', 1)[1]]
    return schema


def _invalid(message_id, field, **params):
    from .exceptions import BadInputError
    if message_id == 'msg_api_field_type':
        message_id = f"msg_api_field_not_{params.pop('type')}"
    return BadInputError(
        gettext(f'aishang_portal.{message_id}', field=field, **params),
        field=field)


def validate(value, schema, field):
    """Check value against schema; return it (integers parsed from query
    strings). Raise BadInputError naming the field."""
    schema = _resolve(schema)
    type_ = schema.get('type')
    if value is None:
        if schema.get('nullable'):
            return None
        raise _invalid('msg_api_field_type', field, type=_type_name(schema))
    if type_ == 'object':
        if not isinstance(value, dict):
            raise _invalid('msg_api_field_type', field, type='object')
        properties = schema.get('properties', {})
        if not schema.get('additionalProperties', True):
            for key in value:
                if key not in properties:
                    raise _invalid('msg_api_field_unknown', _join(field, key))
        for key in schema.get('required', []):
            if value.get(key) is None:
                raise _invalid('msg_api_field_required', _join(field, key))
        return {key: validate(v, properties[key], _join(field, key))
            if key in properties else v for key, v in value.items()}
    if type_ == 'array':
        if not isinstance(value, list):
            raise _invalid('msg_api_field_type', field, type='array')
        if len(value) < schema.get('minItems', 0):
            raise _invalid('msg_api_field_min_items', field,
                count=schema['minItems'])
        if 'maxItems' in schema and len(value) > schema['maxItems']:
            raise _invalid('msg_api_field_max_items', field,
                count=schema['maxItems'])
        items = [validate(v, schema['items'], f'{field}[{i}]')
            for i, v in enumerate(value)]
        if schema.get('uniqueItems') and len(set(map(dumps, items))) != len(
                items):
            raise _invalid('msg_api_field_unique', field)
        return items
    if type_ == 'integer':
        if isinstance(value, str) and schema.get('x-query'):
            if not re.fullmatch(r'-?[0-9]{1,18}', value):
                raise _invalid('msg_api_field_type', field, type='integer')
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid('msg_api_field_type', field, type='integer')
        if 'minimum' in schema and value < schema['minimum']:
            raise _invalid('msg_api_field_minimum', field,
                minimum=schema['minimum'])
        if 'maximum' in schema and value > schema['maximum']:
            raise _invalid('msg_api_field_maximum', field,
                maximum=schema['maximum'])
        return value
    if type_ == 'boolean':
        if isinstance(value, str) and schema.get('x-query'):
            if value not in {'true', 'false'}:
                raise _invalid('msg_api_field_type', field, type='boolean')
            value = value == 'true'
        if not isinstance(value, bool):
            raise _invalid('msg_api_field_type', field, type='boolean')
        return value
    if type_ == 'string':
        if not isinstance(value, str):
            raise _invalid('msg_api_field_type', field, type='string')
        if INVALID_CHARACTERS.search(value):
            raise _invalid('msg_api_field_characters', field)
        if len(value) < schema.get('minLength', 0):
            raise _invalid('msg_api_field_required', field)
        if 'maxLength' in schema and len(value) > schema['maxLength']:
            raise _invalid('msg_api_field_too_long', field,
                length=schema['maxLength'])
        if 'enum' in schema and value not in schema['enum']:
            raise _invalid('msg_api_field_enum', field,
                values=', '.join(schema['enum']))
        # as JSON Schema (ECMA-262) patterns: \d is 0-9, not any digit
        if 'pattern' in schema and not re.fullmatch(
                schema['pattern'], value, re.ASCII):
            raise _invalid('msg_api_field_invalid', field)
        return value
    return value


def _type_name(schema):
    type_ = _resolve(schema).get('type')
    return type_ if type_ in {
        'object', 'array', 'integer', 'boolean', 'string'} else 'string'


def _join(field, key):
    return f'{field}.{key}' if field else key


class Param:
    "A query parameter"

    def __init__(self, name, schema, description, required=False):
        self.name = name
        self.schema = {**schema, 'x-query': True}
        self.description = description
        self.required = required


# ---------------------------------------------------------------------------
# Requests

class Context:
    "What a handler gets: the request, the pool, the session and the input"
    __slots__ = ('request', 'pool', 'body', 'query', 'web_user', 'party',
        'token', 'remote_addr')

    def __init__(self, request, pool):
        self.request = request
        self.pool = pool
        self.body = {}
        self.query = {}
        self.web_user = None
        self.party = None
        self.token = None
        self.remote_addr = request.remote_addr or ''


def request_language(request):
    for value, _ in request.accept_languages:
        language = LANGUAGES.get(value.lower().replace('_', '-')[:2])
        if language:
            return language
    return settings.get('language')


def bearer_token(request):
    """The session token of the Authorization header, None without one.

    A header that is not "Bearer <token>" is refused rather than ignored.
    """
    from .exceptions import UnauthorizedError
    header = request.headers.get('Authorization')
    if not header:
        return None
    scheme, _, token = header.partition(' ')
    token = token.strip()
    if scheme.lower() != 'bearer' or not re.fullmatch(
            r'[0-9A-Za-z_\-]{16,128}', token):
        raise UnauthorizedError(gettext('aishang_portal.msg_api_unauthorized'))
    return token


def human_size(size):
    "A size in bytes as people say it: 16 KB, 5 MB"
    for unit, factor in [('MB', 1 << 20), ('KB', 1 << 10)]:
        if size >= factor:
            return f'{size / factor:.3g} {unit}'
    return f'{size} B'


def read_json(request, max_size):
    from .exceptions import BadInputError, PortalError
    if request.content_length is not None and (
            request.content_length > max_size):
        raise PortalError(gettext('aishang_portal.msg_api_too_large',
                size=human_size(max_size)), code='too_large', status=413)
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise PortalError(gettext('aishang_portal.msg_api_too_large',
                size=human_size(max_size)), code='too_large', status=413)
    if len(data) > max_size:
        raise PortalError(gettext('aishang_portal.msg_api_too_large',
                size=human_size(max_size)), code='too_large', status=413)
    if not data.strip():
        return {}
    mimetype = request.mimetype or ''
    if mimetype and not (mimetype == 'application/json'
            or mimetype.endswith('+json')):
        raise BadInputError(gettext('aishang_portal.msg_api_invalid_json'),
            code='invalid_json')
    try:
        return json.loads(data.decode('utf-8'), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadInputError(gettext('aishang_portal.msg_api_invalid_json'),
            code='invalid_json')


def authenticate(ctx, mode):
    "Find the web user of the session; the owner is always its party"
    from .exceptions import ForbiddenError, UnauthorizedError
    token = bearer_token(ctx.request)
    if mode == 'none' or (mode == 'optional' and token is None):
        return
    if token is None:
        raise UnauthorizedError(gettext('aishang_portal.msg_api_unauthorized'))
    WebUser = ctx.pool.get('web.user')
    web_user = WebUser.portal_session_user(token)
    if not web_user:
        raise UnauthorizedError(gettext('aishang_portal.msg_api_unauthorized'))
    ctx.web_user, ctx.token = web_user, token
    ctx.party = web_user.party
    if mode == 'owner' and not ctx.party:
        raise ForbiddenError(gettext('aishang_portal.msg_api_not_verified'),
            code='not_verified')


def _database_pool(request, database_name):
    """The pool of database_name, or None when there is no such database
    (as trytond's with_pool, answering instead of aborting)"""
    database_list = Pool.database_list()
    if database_name not in database_list:
        with Transaction().start(None, 0, readonly=True) as transaction:
            hostname = config.get_hostname(request.host)
            if database_name not in transaction.database.list(
                    hostname=hostname):
                return None
    pool = Pool(database_name)
    if database_name not in database_list:
        with Transaction().start(database_name, 0, readonly=True):
            pool.init()
    return pool


def default_database():
    "The database of the routes without database: configured or the only one"
    name = settings.get('database')
    if name:
        return name
    names = Pool.database_list()
    if len(names) == 1:
        return names[0]
    return None


class Endpoint:
    "A declared API operation"

    def __init__(self, method, path, handler, summary, tags, auth, request,
            query, response, errors, writes, produces, description,
            max_body, model, form=None):
        self.method = method
        self.path = path
        self.handler = handler
        self.summary = summary
        self.tags = tags
        self.auth = auth
        self.request = request
        self.query = query
        self.response = response
        self.errors = errors
        self.writes = writes if writes is not None else method != 'GET'
        self.produces = produces
        self.description = description
        self.max_body = max_body
        self.model = model
        # the schema of a multipart/form-data body the handler reads itself
        self.form = form

    @property
    def operation_id(self):
        return self.handler.__name__

    def __call__(self, request, database_name=None, **view_args):
        language = request_language(request)
        if database_name is None:
            database_name = default_database()
        try:
            pool = (_database_pool(request, database_name)
                if database_name else None)
        except backend.DatabaseOperationalError:
            logger.warning("database %s unavailable", database_name,
                exc_info=True)
            return static_error('unavailable', 503, language)
        if pool is None:
            return static_error('no_database', 404, language)
        run = with_transaction(readonly=not self.writes)(
            partial(self._run, language=language, view_args=view_args))
        try:
            return run(request, pool)
        except backend.DatabaseOperationalError:
            logger.warning("%s failed", request, exc_info=True)
            return static_error('unavailable', 503, language)

    def _run(self, request, pool, language, view_args):
        transaction = Transaction()
        with transaction.set_context(language=language):
            try:
                try:
                    pool.get(self.model)
                except KeyError:
                    # the portal is not activated in this database
                    from .exceptions import NotFoundError
                    raise NotFoundError(
                        gettext('aishang_portal.msg_api_not_found'))
                ctx = Context(request, pool)
                authenticate(ctx, self.auth)
                if self.request is not None:
                    ctx.body = validate(
                        read_json(request, self.max_body), self.request, '')
                ctx.query = self._parse_query(request)
                if any(isinstance(v, int) and v > MAX_ID
                        for v in view_args.values()):
                    from .exceptions import NotFoundError
                    raise NotFoundError(
                        gettext('aishang_portal.msg_api_not_found'))
                result = self.handler(ctx, **view_args)
            except (TransactionError, backend.DatabaseOperationalError):
                raise
            except (UserError, UserWarning) as exception:
                if not getattr(exception, 'keep', False):
                    transaction.rollback()
                return self._error(exception)
            except HTTPException as exception:
                transaction.rollback()
                return error_response(
                    'not_found' if exception.code == 404 else 'invalid_json',
                    exception.description, exception.code or 400)
            except Exception:
                logger.exception("%s failed", request)
                transaction.rollback()
                return error_response('internal',
                    gettext('aishang_portal.msg_api_internal'), 500)
            if isinstance(result, Response):
                return result
            return json_response(result)

    def _error(self, exception):
        message = exception.message
        code = getattr(exception, 'error_code', None)
        status = getattr(exception, 'http_status', None)
        if code is None or status is None:
            if isinstance(exception, AccessError):
                code, status = 'forbidden', 403
            else:
                code, status = 'user_error', 400
        return error_response(code, message, status,
            field=getattr(exception, 'field', None),
            details=getattr(exception, 'details', None),
            retry_after=getattr(exception, 'retry_after', None))

    def _parse_query(self, request):
        values = {}
        for param in self.query:
            raw = request.args.get(param.name)
            if raw is None or raw == '':
                if param.required:
                    raise _invalid('msg_api_field_required', param.name)
                values[param.name] = param.schema.get('default')
                continue
            values[param.name] = validate(raw, param.schema, param.name)
        return values


def endpoint(method, path, *, summary, tags, auth='owner', request=None,
        query=(), response=None, errors=(), writes=None,
        produces='application/json', description='', max_body=None,
        model='portal.sms_code', form=None):
    """Declare and route an API operation.

    auth: 'none', 'optional' (a session if one is given), 'session' (any
    valid session) or 'owner' (a session bound to a verified owner).
    form: the schema of a multipart/form-data body (for the document
    only: the handler reads ctx.request.files itself).
    produces: the media type of the answer, or the list of those a file
    download may have.
    The handler gets a Context and the path arguments.
    """
    def decorator(func):
        declared = Endpoint(method, path, func, summary, list(tags), auth,
            request, list(query), response, list(errors), writes, produces,
            description or (func.__doc__ or '').strip(),
            max_body or settings.getint('max_body'), model, form=form)

        def view(request, **kwargs):
            return declared(request, **kwargs)
        view.__name__ = func.__name__
        view.__doc__ = func.__doc__
        view.__openapi__ = declared
        view.max_request_size = declared.max_body
        app.route(f'/<database_name>{PREFIX}{path}', methods=[method])(view)
        app.route(f'{PREFIX}{path}', methods=[method])(view)
        ENDPOINTS.append(declared)
        func.__openapi__ = declared
        return func
    return decorator


# ---------------------------------------------------------------------------
# OpenAPI

ERROR_SCHEMA = obj({
        'error': obj({
                'code': string(description="Stable machine-readable code."),
                'message': string(description="Translated text to show."),
                'field': string(
                    description="The request field at fault, if any."),
                }, required=['code', 'message'], additional=True),
        }, required=['error'])

_CONVERTER = re.compile(r'<(?:(\w+):)?(\w+)>')


def openapi_path(path):
    return '/' + _CONVERTER.sub(r'{\2}', path)


def _path_parameters(path):
    parameters = []
    for converter, name in _CONVERTER.findall(path):
        schema = identifier() if converter == 'int' else string()
        parameters.append({'name': name, 'in': 'path', 'required': True,
                'schema': schema})
    return parameters


def _anchored(pattern):
    "pattern as validate() applies it (fullmatch), for JSON Schema (search)"
    if pattern.startswith('^') and pattern.endswith('$'):
        return pattern
    return f'^(?:{pattern})$'


def _clean(schema):
    "Drop our private keywords; anchor the patterns"
    if isinstance(schema, dict):
        return {k: _anchored(v) if k == 'pattern' and isinstance(v, str)
            else _clean(v) for k, v in schema.items()
            if not k.startswith('x-query')}
    if isinstance(schema, list):
        return [_clean(v) for v in schema]
    return schema


def _error_codes(declared):
    codes = list(declared.errors)
    if declared.request is not None:
        codes += ['invalid_json', 'invalid_field', 'too_large']
    elif declared.query:
        codes.append('invalid_field')
    if declared.auth in {'session', 'owner', 'optional'}:
        codes.append('unauthorized')
    if declared.auth == 'owner':
        codes.append('not_verified')
    codes += ['not_found', 'no_database', 'internal', 'unavailable']
    return list(dict.fromkeys(codes))


def openapi():
    "The OpenAPI 3 document of every declared endpoint"
    paths = {}
    for declared in ENDPOINTS:
        operation = {
            'operationId': declared.operation_id,
            'summary': declared.summary,
            'tags': declared.tags,
            }
        if declared.description:
            operation['description'] = declared.description
        # an empty value (?kind=) counts as absent (_parse_query)
        parameters = _path_parameters(declared.path) + [{
                'name': p.name, 'in': 'query', 'required': p.required,
                **({} if p.required else {'allowEmptyValue': True}),
                'description': p.description, 'schema': _clean(p.schema)}
            for p in declared.query]
        if parameters:
            operation['parameters'] = parameters
        if declared.request is not None:
            # a body without required fields may be left out (read as {})
            operation['requestBody'] = {
                'required': bool(_resolve(declared.request).get('required')),
                'content': {'application/json': {
                        'schema': _clean(declared.request)}},
                }
        elif declared.form is not None:
            operation['requestBody'] = {
                'required': True,
                'content': {'multipart/form-data': {
                        'schema': _clean(declared.form)}},
                }
        if declared.produces == 'application/json':
            content = {'application/json': {
                    'schema': _clean(declared.response or obj({}))}}
        else:
            produces = declared.produces
            if isinstance(produces, str):
                produces = [produces]
            content = {media_type: {'schema': string(format='binary')}
                for media_type in produces}
        responses = {'200': {'description': "Success", 'content': content}}
        by_status = {}
        for code in _error_codes(declared):
            by_status.setdefault(ERRORS[code], []).append(code)
        for status, codes in sorted(by_status.items()):
            responses[str(status)] = {
                'description': "Error codes: " + ", ".join(codes),
                'content': {'application/json': {
                        'schema': ref('Error')}},
                }
        operation['responses'] = responses
        if declared.auth == 'none':
            operation['security'] = []
        elif declared.auth == 'optional':
            operation['security'] = [{}, {'session': []}]
        else:
            operation['security'] = [{'session': []}]
        paths.setdefault(openapi_path(declared.path), {})[
            declared.method.lower()] = operation
    return {
        'openapi': '3.0.3',
        'info': {
            'title': "Aishang Property owner API (爱尚物业业主接口)",
            'version': VERSION,
            'description': "See docs/owner-api.md. Money is a string with "
            "two decimals, dates are ISO 8601 strings.",
            },
        'servers': [
            {'url': PREFIX.rstrip('/'),
                'description': "The configured database"},
            {'url': '/{database}' + PREFIX.rstrip('/'),
                'variables': {'database': {'default': 'aishang'}}},
            ],
        'paths': paths,
        'components': {
            'securitySchemes': {'session': {
                    'type': 'http', 'scheme': 'bearer',
                    'description': "The token returned by a login or a "
                    "verification."}},
            'schemas': {'Error': ERROR_SCHEMA, **_clean(SCHEMAS)},
            },
        }


def _openapi_view(request, database_name=None):
    return json_response(openapi())


_openapi_view.__openapi__ = None
app.route(f'/<database_name>{PREFIX}openapi.json', methods=['GET'])(
    _openapi_view)
app.route(f'{PREFIX}openapi.json', methods=['GET'])(_openapi_view)


def _unknown_view(request, database_name=None, rest=None):
    "Unknown paths and methods of the API answer a JSON 404"
    return static_error('not_found', 404, request_language(request))


class AnyPathConverter(PathConverter):
    "Any path, even with a newline (%0A), where the path converter stops"
    regex = '[^/](?s:.)*?'


app.url_map.converters['anypath'] = AnyPathConverter
_ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
app.route(f'/<database_name>{PREFIX}<anypath:rest>', methods=_ALL_METHODS)(
    _unknown_view)
app.route(f'{PREFIX}<anypath:rest>', methods=_ALL_METHODS)(_unknown_view)
