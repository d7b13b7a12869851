# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Notices and announcements (公告, O5) to the owners of projects or
buildings, with the owners' read status."""
import datetime as dt

from sql import Conflict, Literal, Null
from sql.aggregate import Count, Max
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import NoticeValidationError
from .sanitize import html_to_text, sanitize_html

SUMMARY_LENGTH = 120


class Notice(Workflow, ModelSQL, ModelView):
    "A notice (公告) to the owners of projects or buildings"
    __name__ = 'property.notice'
    __string__ = "Notice"
    _rec_name = 'title'
    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    title = fields.Char("Title", required=True, states=_states)
    body = fields.Text(
        "Body", states=_states,
        help="Formatted text; scripts and unsafe markup are removed.")
    summary = fields.Function(fields.Char("Summary"), 'get_summary')
    projects = fields.Many2Many(
        'property.notice-property.project', 'notice', 'project', "Projects",
        states=_states,
        domain=[('company', '=', Eval('company', -1))],
        help="The projects whose owners see the notice.")
    buildings = fields.Many2Many(
        'property.notice-property.building', 'notice', 'building',
        "Buildings", states=_states,
        domain=[('project', 'in', Eval('projects', []))],
        help="Only the owners of these buildings see the notice; "
        "all the projects' owners when empty.")
    publish_start = fields.DateTime(
        "Publish From", states=_states,
        help="When owners start to see the notice; when published if empty.")
    publish_end = fields.DateTime(
        "Publish Until",
        domain=[If(Bool(Eval('publish_start')) & Bool(Eval('publish_end')),
                ('publish_end', '>', Eval('publish_start')), ())],
        states={'readonly': Eval('state') == 'archived'},
        help="When owners stop seeing the notice; never if empty.")
    pinned = fields.Boolean(
        "Pinned", states={'readonly': Eval('state') == 'archived'},
        help="Pinned notices are listed first.")
    push_channel = fields.Selection(
        'get_push_channels', "Push Through", states=_states,
        help="Send the verified owners a message when the notice is "
        "published.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('published', "Published"),
            ('archived', "Archived"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    author = fields.Many2One('res.user', "Author", readonly=True)
    published_by = fields.Many2One('res.user', "Published By", readonly=True)
    published_at = fields.DateTime("Published", readonly=True)
    archived_by = fields.Many2One('res.user', "Archived By", readonly=True)
    archived_at = fields.DateTime("Archived", readonly=True)
    pushed_at = fields.DateTime("Pushed", readonly=True)
    pushed_count = fields.Integer("Messages Queued", readonly=True)
    reads = fields.One2Many(
        'property.notice.read', 'notice', "Reads", readonly=True)
    read_count = fields.Function(
        fields.Integer("Read By"), 'get_read_count')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.publish_start, Index.Range())),
                })
        cls._order = [
            ('pinned', 'DESC'), ('publish_start', 'DESC NULLS FIRST'),
            ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'archived'),
            ('published', 'draft'),
            ('archived', 'draft'),
            }
        cls._buttons.update({
                'publish': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'archive': {
                    'invisible': Eval('state') != 'published',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') == 'draft',
                    'icon': If(Eval('state') == 'archived',
                        'tryton-undo', 'tryton-back'),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_pinned():
        return False

    @staticmethod
    def default_author():
        return Transaction().user or None

    @classmethod
    def get_push_channels(cls):
        Outbox = Pool().get('message.outbox')
        channels = Outbox.fields_get(['channel'])['channel']['selection']
        return [(None, "")] + [c for c in channels if c[0]]

    def get_summary(self, name):
        return html_to_text(self.body, SUMMARY_LENGTH)

    @classmethod
    def get_read_count(cls, notices, name):
        Read = Pool().get('property.notice.read')
        read = Read.__table__()
        cursor = Transaction().connection.cursor()
        counts = dict.fromkeys([n.id for n in notices], 0)
        for sub in grouped_slice(list(counts), in_max()):
            cursor.execute(*read.select(read.notice, Count(read.id),
                    where=read.notice.in_(list(sub)),
                    group_by=[read.notice]))
            counts.update(cursor)
        return counts

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('body'):
            values['body'] = sanitize_html(values['body'])
        return values

    @classmethod
    def check_modification(cls, mode, notices, values=None, external=False):
        super().check_modification(
            mode, notices, values=values, external=external)
        if mode == 'delete':
            for notice in notices:
                if notice.state != 'draft':
                    raise AccessError(gettext(
                            'aishang_portal.msg_notice_delete',
                            notice=notice.rec_name))

    @classmethod
    def copy(cls, notices, default=None):
        default = default.copy() if default is not None else {}
        for field in ['published_by', 'published_at', 'archived_by',
                'archived_at', 'pushed_at', 'pushed_count', 'reads',
                'publish_start', 'publish_end']:
            default.setdefault(field, None)
        default.setdefault('author', Transaction().user or None)
        return super().copy(notices, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, notices):
        "Show the notices to their owners and push them once"
        now = dt.datetime.now().replace(microsecond=0)
        for notice in notices:
            if not notice.projects:
                raise NoticeValidationError(gettext(
                        'aishang_portal.msg_notice_no_project',
                        notice=notice.rec_name))
        to_start = [n for n in notices if not n.publish_start]
        if to_start:
            cls.write(to_start, {'publish_start': now})
        cls.write(notices, {
                'published_by': Transaction().user or None,
                'published_at': now,
                })
        cls.push([n for n in notices if n.push_channel and not n.pushed_at])

    @classmethod
    @ModelView.button
    @Workflow.transition('archived')
    def archive(cls, notices):
        cls.write(notices, {
                'archived_by': Transaction().user or None,
                'archived_at': dt.datetime.now().replace(microsecond=0),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, notices):
        pass

    @classmethod
    def push(cls, notices):
        """Queue one message per verified owner each notice targets.

        One query per notice finds the owners (see targets()), one create
        queues all the messages.
        """
        pool = Pool()
        Outbox = pool.get('message.outbox')
        messages = []
        counts = {}
        for notice in notices:
            targets = notice.targets()
            values = []
            for party_id, phone, openid in targets:
                address = (openid if notice.push_channel == 'wechat_subscribe'
                    else phone)
                if not address:
                    continue
                values.append({
                        'company': notice.company.id,
                        'channel': notice.push_channel,
                        'party': party_id,
                        'address': address,
                        'subject': notice.title,
                        'body': notice.summary,
                        'origin': str(notice),
                        })
            counts[notice] = len(values)
            messages.extend(values)
        Outbox.queue(messages)
        now = dt.datetime.now().replace(microsecond=0)
        for notice, count in counts.items():
            cls.write([notice], {'pushed_at': now, 'pushed_count': count})

    def targets(self):
        """(party, phone, OpenID) of the verified owners of the notice's
        projects (and buildings) who own a resource today, in one query"""
        pool = Pool()
        Ownership = pool.get('property.ownership')
        Resource = pool.get('property.resource')
        WebUser = pool.get('web.user')
        Party = pool.get('party.party')
        ownership = Ownership.__table__()
        resource = Resource.__table__()
        web_user = WebUser.__table__()
        party = Party.__table__()
        today = pool.get('ir.date').today()
        where = ((resource.active == Literal(True))
            & resource.project.in_([p.id for p in self.projects])
            & ((ownership.start_date == Null)
                | (ownership.start_date <= today))
            & ((ownership.end_date == Null) | (ownership.end_date >= today))
            & (web_user.active == Literal(True))
            & (party.active == Literal(True)))
        if self.buildings:
            where &= resource.building.in_([b.id for b in self.buildings])
        query = ownership.join(resource,
            condition=ownership.resource == resource.id
            ).join(web_user, condition=web_user.party == ownership.party
            ).join(party, condition=party.id == ownership.party
            ).select(ownership.party,
                Max(party.owner_phone), Max(web_user.phone),
                Max(web_user.wechat_openid),
                where=where,
                group_by=[ownership.party],
                order_by=[ownership.party])
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return [(p, owner_phone or phone, openid)
            for p, owner_phone, phone, openid in cursor]


class NoticeProject(ModelSQL):
    "Notice - Project"
    __name__ = 'property.notice-property.project'
    __string__ = "Notice - Project"
    notice = fields.Many2One(
        'property.notice', "Notice", required=True, ondelete='CASCADE')
    project = fields.Many2One(
        'property.project', "Project", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.notice, Index.Equality())),
                Index(t, (t.project, Index.Equality())),
                })


class NoticeBuilding(ModelSQL):
    "Notice - Building"
    __name__ = 'property.notice-property.building'
    __string__ = "Notice - Building"
    notice = fields.Many2One(
        'property.notice', "Notice", required=True, ondelete='CASCADE')
    building = fields.Many2One(
        'property.building', "Building", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.notice, Index.Equality())),
                Index(t, (t.building, Index.Equality())),
                })


class NoticeRead(ModelSQL, ModelView):
    "An owner has read a notice in the app"
    __name__ = 'property.notice.read'
    __string__ = "Notice Read"
    notice = fields.Many2One(
        'property.notice', "Notice", required=True, readonly=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Owner", required=True, readonly=True,
        ondelete='CASCADE')
    date = fields.DateTime("Read", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('notice')
        t = cls.__table__()
        cls._sql_constraints = [
            ('notice_party_unique', Unique(t, t.notice, t.party),
                'aishang_portal.msg_notice_read_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.party, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def mark(cls, notice, party):
        """Record that party read notice, once.

        ON CONFLICT DO NOTHING: two requests at once must not fail on the
        unique key."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.insert(
                [table.notice, table.party, table.date, table.create_uid,
                    table.create_date],
                [[notice.id, party.id, dt.datetime.now(), 0,
                        CurrentTimestamp()]],
                on_conflict=Conflict(
                    table, indexed_columns=[table.notice, table.party])))

    @classmethod
    def read_ids(cls, notices, party):
        "The ids among notices that party has read"
        reads = set()
        ids = [n.id for n in notices]
        for sub in grouped_slice(ids, in_max()):
            reads.update(r.notice.id for r in cls.search([
                        ('notice', 'in', list(sub)),
                        ('party', '=', party.id),
                        ]))
        return reads
