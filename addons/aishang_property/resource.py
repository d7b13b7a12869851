# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice

from .exceptions import ResourceValidationError
from .project import LOCATION_KINDS, split_location_id
from .tools import in_max, search_any

KINDS = [
    ('residence', "Residence"),
    ('shop', "Shop"),
    ('ad_space', "Ad Space"),
    ('basement', "Basement / Storage"),
    ('parking', "Parking Space"),
    ]
_AREA_KINDS = ['residence', 'shop', 'basement']


def _kind_is(*kinds):
    return {'invisible': ~Eval('kind').in_(list(kinds))}


def compose_code(building_code, unit_code, number):
    "Return the room code staff type to find a resource, such as 2-1-301"
    return '-'.join(p for p in (building_code, unit_code, number) if p)


def resource_name(project_name, code):
    "How a resource is named: its project and code, 翠湖花园 2-1-301"
    return f'{project_name} {code}'


class Resource(DeactivableMixin, ModelSQL, ModelView):
    "A chargeable resource of a project: home, shop, ad space, storage, parking"
    __name__ = 'property.resource'
    _rec_name = 'code'
    project = fields.Many2One(
        'property.project', "Project", required=True, ondelete='RESTRICT')
    building = fields.Many2One(
        'property.building', "Building", ondelete='RESTRICT',
        domain=[('project', '=', Eval('project', -1))])
    unit = fields.Many2One(
        'property.unit', "Unit", ondelete='RESTRICT',
        domain=[('building', '=', Eval('building', -1))],
        states={'invisible': ~Eval('building')})
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    number = fields.Char(
        "Number", required=True, strip=True,
        help="The room or space number, such as 301 or B1-023.")
    code = fields.Char(
        "Code", readonly=True,
        help="Building, unit and number joined, such as 2-1-301.")
    floor = fields.Integer("Floor")
    status = fields.Selection([
            ('unsold', "Unsold"),
            ('sold', "Sold, not Handed Over"),
            ('handed_over', "Handed Over"),
            ('decorating', "Decorating"),
            ], "Status", required=True, sort=False)
    status_string = status.translated('status')
    handover_date = fields.Date(
        "Handover Date",
        states={'required': Eval('status').in_(['handed_over', 'decorating'])},
        help="The day the resource was handed over to its owner; "
        "periodic fees start from it.")
    occupancy = fields.Selection([
            ('self_occupied', "Self-occupied"),
            ('rented', "Rented"),
            ('vacant', "Vacant"),
            ], "Occupancy", required=True, sort=False)
    occupancy_string = occupancy.translated('occupancy')

    building_area = fields.Numeric(
        "Building Area (㎡)", digits=(16, 2),
        states=_kind_is(*_AREA_KINDS, 'parking'))
    inner_area = fields.Numeric(
        "Inner Area (㎡)", digits=(16, 2), states=_kind_is(*_AREA_KINDS))
    billing_area = fields.Function(fields.Numeric(
            "Billing Area (㎡)", digits=(16, 2),
            help="The area charged on, per the project's area basis."),
        'get_billing_area')
    layout = fields.Char(
        "Layout", states=_kind_is('residence'),
        help="The floor plan, such as 3 rooms 2 halls.")
    orientation = fields.Char("Orientation", states=_kind_is('residence'))

    business_scope = fields.Char("Business Scope", states=_kind_is('shop'))
    lease_status = fields.Selection([
            (None, ""),
            ('leased', "Leased"),
            ('self_operated', "Self-operated"),
            ('for_lease', "For Lease"),
            ], "Lease Status", states=_kind_is('shop', 'ad_space', 'parking'))
    rent_amount = fields.Numeric(
        "Monthly Rent", digits=(16, 2),
        states=_kind_is('shop', 'ad_space', 'parking'))
    lease_start = fields.Date(
        "Lease Start", states=_kind_is('shop', 'ad_space', 'parking'))
    lease_end = fields.Date(
        "Lease End", states=_kind_is('shop', 'ad_space', 'parking'),
        domain=[If(Bool(Eval('lease_start')) & Bool(Eval('lease_end')),
                ('lease_end', '>=', Eval('lease_start')), ())])

    parking_type = fields.Selection([
            (None, ""),
            ('underground', "Underground"),
            ('surface', "Surface"),
            ('mechanical', "Mechanical"),
            ], "Parking Type", states=_kind_is('parking'))
    plates = fields.Char(
        "Plate Numbers", states=_kind_is('parking'),
        help="The licence plates allowed on the space, separated by commas.")

    ad_position = fields.Char("Position", states=_kind_is('ad_space'))
    ad_size = fields.Char(
        "Size", states=_kind_is('ad_space'), help="Such as 3m × 2m.")

    ownerships = fields.One2Many(
        'property.ownership', 'resource', "Ownerships")
    occupants = fields.One2Many('property.occupant', 'resource', "Occupants")
    owners = fields.Function(fields.Many2Many(
            'party.party', None, None, "Current Owners",
            context={'company': Eval('company', -1)}, depends={'company'}),
        'get_owners')
    owner_names = fields.Function(
        fields.Char("Owners"), 'get_owner_names',
        searcher='search_owner_names')
    owner_phone = fields.Function(
        fields.Char("Owner Phone"), 'get_owner_phone',
        searcher='search_owner_phone')
    occupant_count = fields.Function(
        fields.Integer("Occupants"), 'get_occupant_count')
    company = fields.Function(
        fields.Many2One('company.company', "Company"), 'on_change_with_company')
    location = fields.Function(
        fields.Many2One('property.location', "Location"),
        'get_location', searcher='search_location')
    custom_fields = fields.Dict(
        'property.custom_field', "Custom Fields",
        domain=[
            ('target', '=', 'resource'),
            ['OR',
                ('projects', '=', None),
                ('projects', '=', Eval('project', -1)),
                ],
            ])
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('project_code_uniq', Unique(t, t.project, t.code),
                'aishang_property.msg_resource_code_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.code, Index.Similarity())),
                Index(t, (t.building, Index.Equality()),
                    (t.unit, Index.Equality())),
                })
        cls._order = [
            ('project', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_kind():
        return 'residence'

    @staticmethod
    def default_status():
        return 'handed_over'

    @staticmethod
    def default_occupancy():
        return 'self_occupied'

    @fields.depends('project', '_parent_project.company')
    def on_change_with_company(self, name=None):
        return self.project.company if self.project else None

    def get_rec_name(self, name):
        return resource_name(self.project.name, self.code)

    @classmethod
    def codes_and_names(cls, ids):
        """{id: (code, rec_name)} of the resources ids, reading only their
        code and project name (for lists of many bills)"""
        result = {}
        for sub in grouped_slice(ids, in_max()):
            for row in cls.read(list(sub), ['code', 'project.name']):
                result[row['id']] = (row['code'], resource_name(
                        row['project.']['name'], row['code']))
        return result

    @classmethod
    def search_rec_name(cls, name, clause):
        return search_any(clause, ['code', 'ownerships.party.name',
                'ownerships.party.owner_phone'])

    @classmethod
    def get_billing_area(cls, resources, name):
        return {
            r.id: (r.inner_area if r.project.area_basis == 'inner'
                else r.building_area)
            for r in resources}

    @classmethod
    def _current_ownerships(cls, resources, date=None):
        "Return the ownerships in force on date per resource id"
        Ownership = Pool().get('property.ownership')
        if date is None:
            date = Pool().get('ir.date').today()
        result = {r.id: [] for r in resources}
        resource_ids = [r.id for r in resources]
        for sub in grouped_slice(resource_ids, in_max()):
            for ownership in Ownership.search([
                        ('resource', 'in', list(sub)),
                        Ownership.in_force_domain(date),
                        ], order=[('primary', 'DESC'), ('id', 'ASC')]):
                result[ownership.resource.id].append(ownership)
        return result

    @classmethod
    def get_owners(cls, resources, name):
        return {r: [o.party.id for o in os]
            for r, os in cls._current_ownerships(resources).items()}

    @classmethod
    def get_owner_names(cls, resources, name):
        return {r: '、'.join(o.party.name for o in os)
            for r, os in cls._current_ownerships(resources).items()}

    @classmethod
    def get_owner_phone(cls, resources, name):
        return {r: next((o.party.owner_phone for o in os
                    if o.party.owner_phone), None)
            for r, os in cls._current_ownerships(resources).items()}

    @classmethod
    def search_owner_names(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('ownerships.party.name', operator, operand, *extra)]

    @classmethod
    def search_owner_phone(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('ownerships.party.owner_phone', operator, operand, *extra)]

    @classmethod
    def get_occupant_count(cls, resources, name):
        Occupant = Pool().get('property.occupant')
        today = Pool().get('ir.date').today()
        counts = dict.fromkeys([r.id for r in resources], 0)
        resource_ids = [r.id for r in resources]
        for sub in grouped_slice(resource_ids, in_max()):
            for occupant in Occupant.search([
                        ('resource', 'in', list(sub)),
                        Occupant.in_force_domain(today),
                        ]):
                counts[occupant.resource.id] += 1
        return counts

    def get_location(self, name):
        from .project import location_id
        if self.unit:
            return location_id('unit', self.unit.id)
        if self.building:
            return location_id('building', self.building.id)
        return location_id('project', self.project.id)

    @classmethod
    def search_location(cls, name, clause):
        _, operator, operand = clause[:3]
        if operator not in {'=', 'in'}:
            raise ValueError(f"Unsupported operator {operator}")
        ids = [operand] if operator == '=' else list(operand)
        by_kind = {k: [] for k in LOCATION_KINDS}
        for node_id in ids:
            if node_id is None:
                continue
            kind, record_id = split_location_id(int(node_id))
            by_kind[kind].append(record_id)
        return ['OR'] + [(kind, 'in', record_ids)
            for kind, record_ids in by_kind.items() if record_ids]

    @classmethod
    def validate_fields(cls, resources, field_names):
        super().validate_fields(resources, field_names)
        cls.check_areas(resources, field_names)
        cls.check_location(resources, field_names)

    @classmethod
    def check_areas(cls, resources, field_names=None):
        if field_names and not (field_names & {
                    'building_area', 'inner_area', 'rent_amount'}):
            return
        for resource in resources:
            for fname in ['building_area', 'inner_area', 'rent_amount']:
                value = getattr(resource, fname)
                if value is not None and value < 0:
                    raise ResourceValidationError(gettext(
                            'aishang_property.msg_resource_negative',
                            resource=resource.rec_name,
                            field=cls._fields[fname].string))
            if (resource.building_area is not None
                    and resource.inner_area is not None
                    and resource.inner_area > resource.building_area):
                raise ResourceValidationError(gettext(
                        'aishang_property.msg_resource_inner_area',
                        resource=resource.rec_name))

    @classmethod
    def check_location(cls, resources, field_names=None):
        if field_names and not (
                field_names & {'project', 'building', 'unit'}):
            return
        for resource in resources:
            if resource.building and resource.building.project != (
                    resource.project):
                raise ResourceValidationError(gettext(
                        'aishang_property.msg_resource_building_project',
                        resource=resource.rec_name))
            if resource.unit and resource.unit.building != resource.building:
                raise ResourceValidationError(gettext(
                        'aishang_property.msg_resource_unit_building',
                        resource=resource.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Building = pool.get('property.building')
        Unit = pool.get('property.unit')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            building, unit = values.get('building'), values.get('unit')
            values['code'] = compose_code(
                Building(building).code if building else None,
                Unit(unit).code if unit else None,
                values.get('number'))
        return values

    @classmethod
    def on_modification(cls, mode, resources, field_names=None):
        super().on_modification(mode, resources, field_names=field_names)
        if mode == 'write' and {'building', 'unit', 'number'} & field_names:
            cls.update_codes([('id', 'in', [r.id for r in resources])])

    @classmethod
    def update_codes(cls, domain):
        "Recompute the stored code of the resources matching domain"
        to_write = []
        for resource in cls.search(domain):
            code = compose_code(
                resource.building.code if resource.building else None,
                resource.unit.code if resource.unit else None,
                resource.number)
            if code != resource.code:
                to_write.extend(([resource], {'code': code}))
        if to_write:
            cls.write(*to_write)
