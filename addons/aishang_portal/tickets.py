# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Service tickets of the owner (O3 repairs, O4 complaints and
suggestions) over aishang_helpdesk.

The endpoints answer only in a database where aishang_helpdesk is
activated (404 otherwise). Every step goes through the model's API
(Ticket.report, post_message, add_photos, confirm_appointment, callback,
cancel), so customer service sees exactly what the owner did. The owner is
ctx.party: the reporter of the tickets they see (party.portal_ticket_domain);
another owner's ticket answers 404 as an unknown one.
"""
import os

from werkzeug.exceptions import RequestEntityTooLarge

from trytond.i18n import gettext
from trytond.modules.aishang_property.tools import natural_key
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import settings
from .api import (
    Param, arr, boolean, component, datetime, endpoint, human_size,
    identifier, integer, nullable, obj, string)
from .exceptions import BadInputError, ConflictError, NotFoundError, PortalError
from .routes import LIMIT, OFFSET, download
from .serializers import REF_SCHEMA, ref

TICKETS = ['tickets']
TICKET_MODEL = 'helpdesk.ticket'
KINDS = ['repair', 'complaint', 'suggestion', 'inquiry']
KINDS_PATTERN = r'({0})(,({0}))*'.format('|'.join(KINDS))
STATES = ['pending', 'accepted', 'dispatched', 'taken', 'processing', 'done',
    'closed', 'visited', 'cancelled', 'reopened']
# The owner may withdraw a ticket until a technician took it
OWNER_CANCEL_STATES = {'pending', 'accepted', 'dispatched'}
# and add photos of the problem until the work is done
OWNER_PHOTO_STATES = {'pending', 'accepted', 'dispatched', 'taken',
    'processing', 'reopened'}
TITLE_LENGTH = 40
# Room left in a multipart body for the boundaries and headers
MULTIPART_OVERHEAD = 64 * 1024
# Magic bytes of the image types accepted: (mimetype, extension)
IMAGE_TYPES = [
    (b'\x89PNG\r\n\x1a\n', 'image/png', 'png'),
    (b'\xff\xd8\xff', 'image/jpeg', 'jpg'),
    ]


def image_type(data):
    "(mimetype, extension) of a PNG, JPEG or WebP image, else None"
    for magic, mimetype, extension in IMAGE_TYPES:
        if data.startswith(magic):
            return mimetype, extension
    if len(data) >= 12 and data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        return 'image/webp', 'webp'
    return None


def photo_max_bytes():
    return settings.getint('photo_max_bytes')


def _ticket(ctx, ticket_id):
    "The owner's ticket of id, else 404 whether it exists or not"
    Ticket = ctx.pool.get(TICKET_MODEL)
    tickets = Ticket.search([
            ('id', '=', ticket_id), *ctx.party.portal_ticket_domain()],
        limit=1)
    if not tickets:
        raise NotFoundError(gettext('aishang_portal.msg_ticket_not_found',
                id=ticket_id))
    return tickets[0]


def _photos(ctx, ticket):
    Attachment = ctx.pool.get('ir.attachment')
    return Attachment.search([
            ('resource', '=', str(ticket)),
            ('type', '=', 'data'),
            ('helpdesk_stage', '!=', None),
            ], order=[('id', 'ASC')])


def _refused(ticket):
    return ConflictError(gettext('aishang_portal.msg_ticket_action_refused',
            ticket=ticket.rec_name, state=ticket.state_string),
        code='ticket_action_refused')


def owner_actions(ticket, steps):
    "The actions the owner may take on ticket now, given the model's steps"
    actions = ['message'] if ticket.state != 'cancelled' else []
    if ticket.state in OWNER_PHOTO_STATES:
        actions.append('photo')
    if ('appointment_confirm' in steps
            and ticket.appointment_by != 'owner'):
        actions.append('appointment_confirm')
    if 'callback' in steps:
        actions.append('rate')
    if 'cancel' in steps and ticket.state in OWNER_CANCEL_STATES:
        actions.append('cancel')
    return actions


def _steps(ctx, tickets):
    return ctx.pool.get(TICKET_MODEL).steps(tickets)


# ---------------------------------------------------------------------------
# Serializers

TICKET_SCHEMA = component('Ticket', obj({
            'id': integer(),
            'number': string(),
            'kind': string(enum=KINDS),
            'kind_string': string(),
            'title': string(),
            'state': string(enum=STATES),
            'state_string': string(),
            'category': nullable(REF_SCHEMA),
            'area': string(enum=['private', 'public']),
            'resource': nullable(REF_SCHEMA),
            'location': nullable(REF_SCHEMA),
            'place': nullable(string()),
            'project': REF_SCHEMA,
            'reported': datetime(),
            'rating': nullable(integer()),
            }, required=['id', 'number', 'kind', 'state', 'state_string']))


def ticket_summary(record):
    return {
        'id': record.id,
        'number': record.rec_name,
        'kind': record.kind,
        'kind_string': record.kind_string,
        'title': record.title,
        'state': record.state,
        'state_string': record.state_string,
        'category': ref(record.category, record.category.name
            if record.category else None),
        'area': record.area,
        'resource': ref(record.resource),
        'location': ref(record.location, record.location.name
            if record.location else None),
        'place': record.place,
        'project': ref(record.project, record.project.name),
        'reported': record.reported,
        'rating': record.rating,
        }


MESSAGE_SCHEMA = component('TicketMessage', obj({
            'id': integer(),
            'author_kind': string(enum=['owner', 'service', 'technician']),
            'author': string(description="The owner's or the technician's "
                "name, or the label of customer service."),
            'mine': boolean(description="Written by this owner."),
            'body': string(),
            'date': datetime(),
            }, required=['id', 'author_kind', 'body', 'date']))


def message(record, ticket, party):
    if record.author_kind == 'owner':
        author = record.party.name if record.party else (
            record.author_kind_string)
    elif record.author_kind == 'technician' and ticket.technician:
        author = ticket.technician.rec_name
    else:
        author = record.author_kind_string
    return {
        'id': record.id,
        'author_kind': record.author_kind,
        'author': author,
        'mine': bool(record.author_kind == 'owner' and record.party
            and record.party.id == party.id),
        'body': record.body,
        'date': record.date,
        }


PHOTO_SCHEMA = component('TicketPhoto', obj({
            'id': integer(),
            'name': string(),
            'stage': string(enum=['report', 'completion']),
            'size': nullable(integer()),
            'url': string(description="Path relative to the API base."),
            }, required=['id', 'name', 'stage', 'url']))


def photo(record, ticket):
    return {
        'id': record.id,
        'name': record.name,
        'stage': record.helpdesk_stage,
        'size': record.data_size,
        'url': f'owner/tickets/{ticket.id}/photos/{record.id}',
        }


DETAIL_SCHEMA = obj({
        'ticket': TICKET_SCHEMA,
        'description': nullable(string()),
        'place': nullable(string()),
        'contact_phone': nullable(string()),
        'urgency': string(), 'urgency_string': string(),
        'appointment': nullable(datetime()),
        'appointment_state': nullable(string(enum=['proposed', 'confirmed'])),
        'appointment_state_string': nullable(string()),
        'appointment_by': nullable(string(
                enum=['owner', 'service', 'technician'])),
        'technician': nullable(string(description="Display name only.")),
        'result': nullable(string()),
        'completed': nullable(datetime()),
        'rating_comment': nullable(string()),
        'messages': arr(MESSAGE_SCHEMA),
        'photos': arr(PHOTO_SCHEMA),
        'actions': arr(string(enum=['message', 'photo',
                    'appointment_confirm', 'rate', 'cancel']),
            description="What the owner may do now."),
        }, required=['ticket', 'messages', 'photos', 'actions'])


def ticket_detail(ctx, record):
    steps = _steps(ctx, [record])[record.id]
    return {
        'ticket': ticket_summary(record),
        'description': record.description,
        'place': record.place,
        'contact_phone': record.contact_phone,
        'urgency': record.urgency,
        'urgency_string': record.urgency_string,
        'appointment': record.appointment,
        'appointment_state': record.appointment_state,
        'appointment_state_string': (record.appointment_state_string
            if record.appointment_state else None),
        'appointment_by': record.appointment_by,
        'technician': (record.technician.rec_name
            if record.technician else None),
        'result': record.result if record.state in {
            'done', 'closed', 'visited'} else None,
        'completed': record.completed,
        'rating_comment': record.rating_comment,
        'messages': [message(m, record, ctx.party) for m in record.messages],
        'photos': [photo(a, record) for a in _photos(ctx, record)],
        'actions': owner_actions(record, steps),
        }


# ---------------------------------------------------------------------------
# Endpoints

@endpoint('GET', 'owner/ticket-categories', tags=TICKETS, model=TICKET_MODEL,
    summary="The ticket categories of the owner's property companies",
    query=[Param('kind', string(enum=KINDS), "Only of this kind.")],
    response=obj({'categories': arr(obj({
                        'id': integer(), 'name': string(),
                        'kind': string(enum=KINDS), 'kind_string': string(),
                        'description': nullable(string()),
                        }, required=['id', 'name', 'kind']))}),
    writes=False)
def ticket_categories(ctx):
    Category = ctx.pool.get('helpdesk.category')
    companies = sorted({p.company.id for p in ctx.party.portal_projects()})
    domain = [('company', 'in', companies)]
    if ctx.query['kind']:
        domain.append(('kind', '=', ctx.query['kind']))
    return {'categories': [{
                'id': c.id, 'name': c.name, 'kind': c.kind,
                'kind_string': c.kind_string,
                'description': c.description,
                } for c in Category.search(domain)]}


LOCATION_KINDS = ['project', 'building', 'unit']


@endpoint('GET', 'owner/locations', tags=TICKETS, model='property.location',
    summary="The public areas of the owner's projects",
    description="The projects, buildings and units of the projects where "
    "the owner has property, to name the public area (公共区域) of a "
    "ticket (POST owner/tickets, location). A tree: a building's parent "
    "is its project's location, a unit's its building's.",
    query=[Param('project', identifier(),
            "Only the locations of this project of the owner.")],
    response=obj({'locations': arr(obj({
                        'id': integer(),
                        'kind': string(enum=LOCATION_KINDS),
                        'name': nullable(string()),
                        'code': nullable(string()),
                        'project_id': integer(),
                        'parent_id': nullable(integer()),
                        }, required=['id', 'kind', 'project_id']))}),
    errors=['not_found'], writes=False)
def locations(ctx):
    Location = ctx.pool.get('property.location')
    projects = {p.id for p in ctx.party.portal_projects()}
    if ctx.query['project']:
        if ctx.query['project'] not in projects:
            raise NotFoundError(gettext(
                    'aishang_portal.msg_project_not_found',
                    id=ctx.query['project']))
        projects = {ctx.query['project']}
    rows = Location.search_read([('project', 'in', sorted(projects))],
        order=[('id', 'ASC')],
        fields_names=['kind', 'name', 'code', 'project', 'parent'])
    rank = {kind: i for i, kind in enumerate(LOCATION_KINDS)}
    codes = {r['id']: r['code'] for r in rows}
    # units by their building first
    rows.sort(key=lambda r: (r['project'], rank[r['kind']],
            natural_key(codes.get(r['parent']) if r['kind'] == 'unit'
                else None),
            natural_key(r['code'])))
    return {'locations': [{
                'id': r['id'], 'kind': r['kind'], 'name': r['name'],
                'code': r['code'], 'project_id': r['project'],
                'parent_id': r['parent'],
                } for r in rows]}


@endpoint('POST', 'owner/tickets', tags=TICKETS, model=TICKET_MODEL,
    summary="Report a repair, complaint, suggestion or inquiry",
    request=obj({
            'kind': string(enum=KINDS),
            'category': identifier(
                description="A category of the kind (GET "
                "owner/ticket-categories); customer service sets it if "
                "omitted."),
            'resource': identifier(description="One of the "
                "owner's resources: a private area (户内)."),
            'location': identifier(description="A public area "
                "(公共区域): a location (project, building or unit) of the "
                "owner's projects (GET owner/locations)."),
            'project': identifier(description="The project of a "
                "public area without location, when the owner has "
                "resources in several."),
            'place': string(maxLength=100, description="Where exactly."),
            'title': string(maxLength=TITLE_LENGTH, description="Default: "
                "the start of the description."),
            'description': string(minLength=1, maxLength=2000),
            'contact_phone': string(maxLength=20, pattern=r'[0-9+\- ]{5,20}',
                description="Default: the owner's phone on file."),
            }, required=['kind', 'description']),
    response=obj({'ticket': TICKET_SCHEMA, 'actions': arr(string())}),
    errors=['not_found'], writes=True)
def create_ticket(ctx):
    """Creates the ticket through Ticket.report, source owner app, the
    owner as reporter. Without resource it is a public-area ticket."""
    pool = ctx.pool
    Ticket = pool.get(TICKET_MODEL)
    Category = pool.get('helpdesk.category')
    Location = pool.get('property.location')
    body = ctx.body
    resources = {o.resource.id: o.resource
        for o in ctx.party.portal_ownerships()}
    projects = {r.project.id: r.project for r in resources.values()}
    if not projects:
        raise BadInputError(gettext(
                'aishang_portal.msg_ticket_no_resource'), field='resource')
    values = {'kind': body['kind'], 'source': 'owner_app',
        'reporter': ctx.party.id, 'contact_name': ctx.party.name,
        'contact_phone': (body.get('contact_phone')
            or ctx.party.owner_phone or ctx.party.phone),
        'description': _text(body, 'description'),
        'place': body.get('place')}
    if body.get('resource') is not None:
        if body.get('location') is not None:
            raise _invalid_field('location')
        resource = resources.get(body['resource'])
        if not resource:
            raise _invalid_field('resource')
        project = resource.project
        values.update(area='private', resource=resource.id)
    else:
        values['area'] = 'public'
        if body.get('location') is not None:
            locations = Location.search([
                    ('id', '=', body['location']),
                    ('project', 'in', list(projects)),
                    ], limit=1)
            if not locations:
                raise _invalid_field('location')
            project = locations[0].project
            values['location'] = locations[0].id
        elif body.get('project') is not None:
            project = projects.get(body['project'])
            if not project:
                raise _invalid_field('project')
        elif len(projects) == 1:
            project, = projects.values()
        else:
            raise BadInputError(gettext(
                    'aishang_portal.msg_ticket_project_required'),
                field='project')
    values['project'] = project.id
    values['company'] = project.company.id
    if body.get('category') is not None:
        categories = Category.search([
                ('id', '=', body['category']),
                ('company', '=', project.company.id),
                ('kind', '=', body['kind']),
                ], limit=1)
        if not categories:
            raise _invalid_field('category')
        values['category'] = categories[0].id
    title = (body.get('title') or '').strip() or values[
        'description'].splitlines()[0]
    values['title'] = title[:TITLE_LENGTH]
    with Transaction().set_context(company=project.company.id):
        ticket = Ticket.report(values)
    ticket = Ticket(ticket.id)
    return {'ticket': ticket_summary(ticket),
        'actions': owner_actions(ticket, _steps(ctx, [ticket])[ticket.id])}


def _text(body, field):
    "The text of field in body without surrounding blanks, never empty"
    text = body[field].strip()
    if not text:
        raise BadInputError(gettext('aishang_portal.msg_api_field_required',
                field=field), field=field)
    return text


def _invalid_field(field):
    "The refusal of a record the owner may not choose, named by its label"
    Ticket = Pool().get(TICKET_MODEL)
    label = Ticket.fields_get([field])[field]['string']
    return BadInputError(gettext('aishang_portal.msg_ticket_field_invalid',
            field=label), field=field)


@endpoint('GET', 'owner/tickets', tags=TICKETS, model=TICKET_MODEL,
    summary="The owner's tickets, newest first",
    query=[LIMIT, OFFSET,
        Param('state', string(enum=STATES), "Only in this state."),
        Param('kind', string(pattern=KINDS_PATTERN),
            "Only of this kind, or of these kinds separated by commas "
            "(complaint,suggestion).")],
    response=obj({
            'tickets': arr(TICKET_SCHEMA),
            'total_count': integer(),
            }),
    writes=False)
def tickets(ctx):
    Ticket = ctx.pool.get(TICKET_MODEL)
    domain = list(ctx.party.portal_ticket_domain())
    if ctx.query['state']:
        domain.append(('state', '=', ctx.query['state']))
    if ctx.query['kind']:
        domain.append(('kind', 'in', ctx.query['kind'].split(',')))
    records = Ticket.search(domain,
        offset=ctx.query['offset'], limit=ctx.query['limit'],
        order=[('reported', 'DESC'), ('id', 'DESC')])
    return {
        'tickets': [ticket_summary(r) for r in records],
        'total_count': Ticket.search_count(domain),
        }


@endpoint('GET', 'owner/tickets/<int:ticket_id>', tags=TICKETS,
    model=TICKET_MODEL,
    summary="A ticket: state, appointment, thread, photos, actions",
    response=DETAIL_SCHEMA, errors=['not_found'], writes=False)
def ticket(ctx, ticket_id):
    return ticket_detail(ctx, _ticket(ctx, ticket_id))


@endpoint('GET', 'owner/tickets/<int:ticket_id>/photos/<int:attachment_id>',
    tags=TICKETS, model=TICKET_MODEL, summary="A photo of a ticket",
    produces=['image/png', 'image/jpeg', 'image/webp',
        'application/octet-stream'],
    errors=['not_found'], writes=False)
def ticket_photo(ctx, ticket_id, attachment_id):
    record = _ticket(ctx, ticket_id)
    for attachment in _photos(ctx, record):
        if attachment.id == attachment_id:
            data = bytes(attachment.data or b'')
            kind = image_type(data)
            return download(data, attachment.name,
                kind[0] if kind else 'application/octet-stream')
    raise NotFoundError(gettext('aishang_portal.msg_attachment_not_found',
            id=attachment_id))


def _too_large(size):
    return PortalError(gettext('aishang_portal.msg_api_too_large',
            size=human_size(size)), code='too_large', status=413)


@endpoint('POST', 'owner/tickets/<int:ticket_id>/photos', tags=TICKETS,
    model=TICKET_MODEL,
    summary="Add a photo to a ticket (multipart/form-data, field photo)",
    description="A PNG, JPEG or WebP image (checked by its content) of at "
    "most `[aishang_portal] photo_max_bytes` (5 MiB) as the field `photo` "
    "of a multipart/form-data body; until the work is done, stored as a "
    "photo of the report.",
    form=obj({'photo': string(format='binary')}, required=['photo']),
    response=obj({'photo': PHOTO_SCHEMA}),
    errors=['not_found', 'too_large', 'bad_request', 'invalid_field',
        'ticket_action_refused'],
    max_body=settings.getint('photo_max_bytes') + MULTIPART_OVERHEAD,
    writes=True)
def add_ticket_photo(ctx, ticket_id):
    Ticket = ctx.pool.get(TICKET_MODEL)
    request = ctx.request
    max_size = photo_max_bytes()
    if request.content_length is not None and (
            request.content_length > max_size + MULTIPART_OVERHEAD):
        raise _too_large(max_size)
    record = _ticket(ctx, ticket_id)
    if record.state not in OWNER_PHOTO_STATES:
        raise _refused(record)
    if request.mimetype != 'multipart/form-data':
        raise BadInputError(gettext('aishang_portal.msg_ticket_photo_missing'),
            field='photo')
    try:
        upload = request.files.get('photo')
    except RequestEntityTooLarge:
        raise _too_large(max_size)
    if upload is None:
        raise BadInputError(gettext('aishang_portal.msg_ticket_photo_missing'),
            field='photo')
    # as in a JSON body, a field that is not expected is refused
    for name in [*request.form, *request.files]:
        if name != 'photo':
            raise BadInputError(gettext('aishang_portal.msg_api_field_unknown',
                    field=name), field=name)
    data = upload.stream.read(max_size + 1)
    if len(data) > max_size:
        raise _too_large(max_size)
    kind = image_type(data)
    if not data or kind is None:
        raise BadInputError(gettext('aishang_portal.msg_ticket_photo_type'),
            field='photo')
    base = os.path.splitext(os.path.basename(upload.filename or ''))[0]
    # no control characters (PostgreSQL refuses NUL) in the stored name
    base = ''.join(c for c in base if c.isprintable()).strip()
    name = f'{(base or "photo")[:60]}.{kind[1]}'
    before = {a.id for a in _photos(ctx, record)}
    Ticket.add_photos([record], [{'name': name, 'data': data}],
        stage='report')
    new = [a for a in _photos(ctx, record) if a.id not in before]
    return {'photo': photo(new[-1], record)}


@endpoint('POST', 'owner/tickets/<int:ticket_id>/messages', tags=TICKETS,
    model=TICKET_MODEL, summary="Write on the thread of a ticket",
    request=obj({'body': string(minLength=1, maxLength=2000)},
        required=['body']),
    response=obj({'message': MESSAGE_SCHEMA}),
    errors=['not_found'], writes=True)
def post_ticket_message(ctx, ticket_id):
    Ticket = ctx.pool.get(TICKET_MODEL)
    record = _ticket(ctx, ticket_id)
    body = _text(ctx.body, 'body')
    if record.state == 'cancelled':
        raise _refused(record)
    posted, = Ticket.post_message([record], body, kind='owner',
        party=ctx.party.id)
    return {'message': message(posted, record, ctx.party)}


ACTION_RESPONSE = obj({'ticket': TICKET_SCHEMA, 'actions': arr(string())})


def _action_result(ctx, record):
    record = ctx.pool.get(TICKET_MODEL)(record.id)
    return {'ticket': ticket_summary(record),
        'actions': owner_actions(record, _steps(ctx, [record])[record.id])}


def _check_action(ctx, record, action):
    if action not in owner_actions(record, _steps(ctx, [record])[record.id]):
        raise _refused(record)


@endpoint('POST', 'owner/tickets/<int:ticket_id>/appointment/confirm',
    tags=TICKETS, model=TICKET_MODEL,
    summary="Agree the visit time proposed by the property",
    request=obj({}), response=ACTION_RESPONSE,
    errors=['not_found', 'ticket_action_refused'], writes=True)
def confirm_ticket_appointment(ctx, ticket_id):
    Ticket = ctx.pool.get(TICKET_MODEL)
    record = _ticket(ctx, ticket_id)
    _check_action(ctx, record, 'appointment_confirm')
    Ticket.confirm_appointment([record], by='owner')
    return _action_result(ctx, record)


@endpoint('POST', 'owner/tickets/<int:ticket_id>/rate', tags=TICKETS,
    model=TICKET_MODEL,
    summary="Rate the work of a closed ticket (the call back, 回访)",
    request=obj({
            'rating': integer(minimum=1, maximum=5),
            'comment': string(maxLength=1000),
            }, required=['rating']),
    response=ACTION_RESPONSE,
    errors=['not_found', 'ticket_action_refused'], writes=True)
def rate_ticket(ctx, ticket_id):
    """The model's call back step (Ticket.callback) by the owner: a closed
    ticket becomes called back with the rating; a rating at or below the
    company's threshold reopens it."""
    Ticket = ctx.pool.get(TICKET_MODEL)
    record = _ticket(ctx, ticket_id)
    _check_action(ctx, record, 'rate')
    Ticket.callback([record], ctx.body['rating'],
        (ctx.body.get('comment') or '').strip() or None)
    return _action_result(ctx, record)


@endpoint('POST', 'owner/tickets/<int:ticket_id>/cancel', tags=TICKETS,
    model=TICKET_MODEL,
    summary="Withdraw a ticket before a technician took it",
    request=obj({'reason': string(minLength=1, maxLength=500)},
        required=['reason']),
    response=ACTION_RESPONSE,
    errors=['not_found', 'ticket_action_refused'], writes=True)
def cancel_ticket(ctx, ticket_id):
    Ticket = ctx.pool.get(TICKET_MODEL)
    record = _ticket(ctx, ticket_id)
    reason = ctx.body['reason'].strip()
    if not reason:
        raise BadInputError(gettext('aishang_portal.msg_api_field_required',
                field='reason'), field='reason')
    _check_action(ctx, record, 'cancel')
    Ticket.cancel([record], gettext('aishang_portal.msg_ticket_cancel_owner',
            reason=reason))
    return _action_result(ctx, record)
