# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from sql import Cast, Literal, Null, Union
from sql.aggregate import Count

from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .tools import in_max, search_any


class Project(DeactivableMixin, ModelSQL, ModelView):
    "A managed residential community (小区 / 管理项目)"
    __name__ = 'property.project'
    company = fields.Many2One(
        'company.company', "Company", required=True,
        help="The property company that manages the project.")
    name = fields.Char("Name", required=True)
    code = fields.Char(
        "Code", required=True, strip=True,
        help="A short code, unique in the company, used by imports.")
    address = fields.Char("Address")
    city = fields.Char("City")
    phone = fields.Char("Service Phone")
    area_basis = fields.Selection([
            ('building', "Building Area"),
            ('inner', "Inner Area"),
            ], "Area Basis", required=True,
        help="The area that area-based fees are charged on.")
    total_area = fields.Numeric("Site Area (㎡)", digits=(16, 2))
    buildings = fields.One2Many('property.building', 'project', "Buildings")
    property_resources = fields.One2Many(
        'property.resource', 'project', "Resources")
    users = fields.Many2Many(
        'res.user-property.project', 'project', 'user', "Users",
        help="The users who may see this project.")
    resource_count = fields.Function(
        fields.Integer("Resources"), 'get_resource_count')
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('company_code_uniq', Unique(t, t.company, t.code),
                'aishang_property.msg_project_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_area_basis():
        return 'building'

    @classmethod
    def get_resource_count(cls, projects, name):
        return count_by(
            Pool().get('property.resource'), 'project', [p.id for p in projects])

    @classmethod
    def on_modification(cls, mode, projects, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, projects, field_names=field_names)
        if mode in {'create', 'delete'} or 'company' in (field_names or []):
            User._get_projects_cache.clear()


def count_by(Model, field_name, ids):
    "Count the active rows of Model per id of field_name in one query"
    table = Model.__table__()
    column = getattr(table, field_name)
    cursor = Transaction().connection.cursor()
    counts = dict.fromkeys(ids, 0)
    for sub_ids in grouped_slice(ids, in_max()):
        cursor.execute(*table.select(column, Count(table.id),
                where=column.in_(list(sub_ids))
                & (table.active == Literal(True)),
                group_by=[column]))
        counts.update(cursor)
    return counts


class CodePartMixin:
    "A building or a unit: its code is a part of its resources' room codes"
    __slots__ = ()
    _search_fields = ()  # where search_rec_name looks
    _resource_field = None  # the field of property.resource pointing here

    @fields.depends('code', 'name')
    def on_change_code(self):
        if self.code and not self.name:
            self.name = self.code

    @classmethod
    def search_rec_name(cls, name, clause):
        return search_any(clause, cls._search_fields)

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'write' and 'code' in field_names:
            Pool().get('property.resource').update_codes(
                [(cls._resource_field, 'in', [r.id for r in records])])


class Building(CodePartMixin, DeactivableMixin, ModelSQL, ModelView):
    "A building (楼栋) of a project"
    __name__ = 'property.building'
    _rec_name = 'name'
    _search_fields = ('name', 'code')
    _resource_field = 'building'
    project = fields.Many2One(
        'property.project', "Project", required=True, ondelete='CASCADE')
    code = fields.Char(
        "Code", required=True, strip=True,
        help="The building number used in room codes, such as \"2\" "
        "in 2-1-301.")
    name = fields.Char("Name", required=True)
    floors = fields.Integer("Floors above Ground")
    underground_floors = fields.Integer("Floors below Ground")
    structure = fields.Selection([
            (None, ""),
            ('high_rise', "High-rise"),
            ('mid_rise', "Mid-rise"),
            ('multi_storey', "Multi-storey"),
            ('villa', "Villa"),
            ('commercial', "Commercial"),
            ], "Type")
    completion_date = fields.Date("Completion Date")
    units = fields.One2Many('property.unit', 'building', "Units")
    property_resources = fields.One2Many(
        'property.resource', 'building', "Resources")
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('project_code_uniq', Unique(t, t.project, t.code),
                'aishang_property.msg_building_code_unique'),
            ]
        cls._order = [('project', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.project.name} {self.name}'


class Unit(CodePartMixin, DeactivableMixin, ModelSQL, ModelView):
    "A unit (单元), the stairwell section of a building"
    __name__ = 'property.unit'
    _search_fields = ('name', 'building.rec_name')
    _resource_field = 'unit'
    building = fields.Many2One(
        'property.building', "Building", required=True, ondelete='CASCADE')
    code = fields.Char(
        "Code", required=True, strip=True,
        help="The unit number used in room codes, such as \"1\" in 2-1-301.")
    name = fields.Char("Name", required=True)
    property_resources = fields.One2Many(
        'property.resource', 'unit', "Resources")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('building')
        t = cls.__table__()
        cls._sql_constraints = [
            ('building_code_uniq', Unique(t, t.building, t.code),
                'aishang_property.msg_unit_code_unique'),
            ]
        cls._order = [('building', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.building.rec_name} {self.name}'


class UserProject(ModelSQL):
    "User - Project"
    __name__ = 'res.user-property.project'
    user = fields.Many2One(
        'res.user', "User", ondelete='CASCADE', required=True)
    project = fields.Many2One(
        'property.project', "Project", ondelete='CASCADE', required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.user, Index.Equality())))

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._get_projects_cache.clear()


# Node ids of the location tree encode the kind of node in the low digit so
# that projects, buildings and units can share one tree without a table.
LOCATION_KINDS = ('project', 'building', 'unit')


def location_id(kind, record_id):
    return record_id * len(LOCATION_KINDS) + LOCATION_KINDS.index(kind)


def split_location_id(node_id):
    record_id, index = divmod(node_id, len(LOCATION_KINDS))
    return LOCATION_KINDS[index], record_id


class Location(ModelSQL, ModelView):
    "The project → building → unit tree used to browse resources"
    __name__ = 'property.location'
    name = fields.Char("Name")
    kind = fields.Selection([
            ('project', "Project"),
            ('building', "Building"),
            ('unit', "Unit"),
            ], "Kind")
    code = fields.Char("Code")
    project = fields.Many2One('property.project', "Project")
    parent = fields.Many2One('property.location', "Parent")
    children = fields.One2Many('property.location', 'parent', "Children")
    resource_count = fields.Function(
        fields.Integer("Resources"), 'get_resource_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('kind', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        project = pool.get('property.project').__table__()
        building = pool.get('property.building').__table__()
        unit = pool.get('property.unit').__table__()
        n = len(LOCATION_KINDS)

        def columns(table, kind, name, code, project_id, parent):
            return [
                (table.id * n + LOCATION_KINDS.index(kind)).as_('id'),
                table.create_uid.as_('create_uid'),
                table.create_date.as_('create_date'),
                table.write_uid.as_('write_uid'),
                table.write_date.as_('write_date'),
                Cast(Literal(kind), 'VARCHAR').as_('kind'),
                name.as_('name'),
                code.as_('code'),
                project_id.as_('project'),
                parent.as_('parent'),
                ]
        projects = project.select(*columns(
                project, 'project', project.name, project.code, project.id,
                Cast(Null, 'INTEGER')),
            where=project.active == Literal(True))
        buildings = building.select(*columns(
                building, 'building', building.name, building.code,
                building.project, building.project * n),
            where=building.active == Literal(True))
        unit_building = building.join(unit,
            condition=unit.building == building.id)
        units = unit_building.select(*columns(
                unit, 'unit', unit.name, unit.code, building.project,
                unit.building * n + 1),
            where=unit.active == Literal(True))
        return Union(Union(projects, buildings, all_=True), units, all_=True)

    @classmethod
    def get_resource_count(cls, locations, name):
        Resource = Pool().get('property.resource')
        by_kind = {}
        for location in locations:
            kind, record_id = split_location_id(location.id)
            by_kind.setdefault(kind, []).append(record_id)
        counts = {}
        for kind, ids in by_kind.items():
            for record_id, count in count_by(Resource, kind, ids).items():
                counts[location_id(kind, record_id)] = count
        return counts
