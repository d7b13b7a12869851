# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import tabular
from .identity import (
    is_valid_phone, is_valid_resident_id, normalize_id_number, normalize_phone)
from .import_format import (
    HUNDRED, OCCUPANT_SHEET, RESOURCE_SHEET, SHEETS, STATUSES,
    TEMPLATE_FILENAME, write_template)
from .import_wizard import (
    ImportResultMixin, ImportStartMixin, Importer, ImportWizardMixin)
from .resource import compose_code
from .tabular import Error, msg

# IN clauses of searches
_SEARCH_BATCH = 1000
# Tryton's checks of browsed records grow with the square of the list size,
# so creating by a few hundred is faster than by a thousand.
_CREATE_BATCH = 200


class _Person:
    "A party of the file, found in the database or to be created"
    __slots__ = ('name', 'phone', 'id_type', 'id_number', 'owner', 'row',
        'party')

    def __init__(self, name, phone, id_type, id_number, row):
        self.name = name
        self.phone = phone
        self.id_type = id_type
        self.id_number = id_number
        self.row = row
        self.owner = False
        self.party = None

    def values(self):
        return {
            'name': self.name,
            'owner': self.owner,
            'owner_phone': self.phone,
            'id_type': self.id_type,
            'id_number': self.id_number,
            }


class ResourceImporter(Importer):
    """Check a workbook of resources, owners and occupants, then create them

    Nothing is written unless every row is valid; errors are tabular.Error
    tuples that import_wizard.format_errors translates.
    """
    count_names = ('buildings', 'units', 'resources', 'parties',
        'ownerships', 'occupants')

    def __init__(self, company_id, default_project=None):
        super().__init__(company_id, default_project)
        self.resource_rows = []
        self.occupant_rows = []
        self._persons = []
        self._by_id_number = {}
        self._by_phone_name = {}
        self._by_name = {}

    # Reading

    def read(self, data, filename):
        "Read the file into rows; return False if it cannot be read"
        sheets = self.read_sheets(data, filename, RESOURCE_SHEET.name)
        if sheets is None:
            return False
        resource_sheet = RESOURCE_SHEET.find(sheets)
        occupant_sheet = OCCUPANT_SHEET.find(sheets)
        if not resource_sheet:
            # A workbook saved by the user often keeps Excel's "Sheet1"
            resource_sheet = next((s for s in sheets
                    if s is not occupant_sheet and s.rows), None)
        for spec, sheet, name in [
                (RESOURCE_SHEET, resource_sheet, 'resource_rows'),
                (OCCUPANT_SHEET, occupant_sheet, 'occupant_rows')]:
            if sheet and sheet.rows:
                rows, errors = tabular.parse_sheet(
                    sheet, spec.columns, spec.name)
                setattr(self, name, rows)
                self.errors.extend(errors)
        if not self.resource_rows and not self.occupant_rows:
            if not self.errors:
                self.errors.append(Error(
                        None, None, None, msg('msg_import_empty')))
            return False
        return True

    # Checking

    def check(self):
        "Check the rows against each other and the database"
        self._check_projects()
        self._check_resources()
        self._check_occupants()
        self._match_parties()
        self._check_existing_occupants()
        self.errors.sort(key=lambda e: (
                [s.name for s in SHEETS].index(e.sheet)
                if e.sheet in {s.name for s in SHEETS} else -1,
                e.row or 0))
        return not self.errors

    def _check_projects(self):
        "Replace the project codes of the rows by the projects"
        self.check_projects([
                (RESOURCE_SHEET, self.resource_rows,
                    self.column(RESOURCE_SHEET, 'project')),
                (OCCUPANT_SHEET, self.occupant_rows,
                    self.column(OCCUPANT_SHEET, 'project')),
                ])

    def _check_resources(self):
        pool = Pool()
        Resource = pool.get('property.resource')
        spec = RESOURCE_SHEET
        number_column = self.column(spec, 'number')
        self._resources = {}
        for row in self.resource_rows:
            if row['unit'] and not row['building']:
                self.error(spec, row, self.column(spec, 'unit'),
                    'msg_import_unit_without_building')
                continue
            if not row['project'] or not row['number']:
                continue
            row['code'] = compose_code(
                row['building'], row['unit'], row['number'])
            key = (row['project'].id, row['code'])
            if key in self._resources:
                self.error(spec, row, number_column,
                    'msg_import_room_duplicate', code=row['code'],
                    row=self._resources[key]['_row'])
            else:
                self._resources[key] = row
            self._check_resource_values(row)

        by_project = {}
        for project_id, code in self._resources:
            by_project.setdefault(project_id, []).append(code)
        with Transaction().set_context(active_test=False):
            for project_id, codes in by_project.items():
                for sub in grouped_slice(codes, _SEARCH_BATCH):
                    for resource in Resource.search([
                                ('project', '=', project_id),
                                ('code', 'in', list(sub)),
                                ]):
                        row = self._resources[(project_id, resource.code)]
                        self.error(spec, row, number_column,
                            'msg_import_room_exists', code=resource.code,
                            project=resource.project.rec_name)

    def _check_resource_values(self, row):
        spec = RESOURCE_SHEET
        if row['kind'] is None:
            row['kind'] = 'residence'
        if row['occupancy'] is None:
            row['occupancy'] = 'self_occupied'
        if row['share'] is None:
            row['share'] = HUNDRED
        if (row['building_area'] is not None
                and row['inner_area'] is not None
                and row['inner_area'] > row['building_area']):
            self.error(spec, row, self.column(spec, 'inner_area'),
                'msg_import_inner_area', inner_area=row['inner_area'],
                building_area=row['building_area'])
        row['person'] = self._check_person(spec, row,
            row['owner_name'], row['owner_phone'], row['id_type'],
            row['id_number'], name_column='owner_name',
            phone_column='owner_phone')
        if row['person']:
            row['person'].owner = True
        if row['status'] is None:
            if row['handover_date']:
                row['status'] = 'handed_over'
            elif row['person']:
                row['status'] = 'sold'
            else:
                row['status'] = 'unsold'
        if (row['status'] in {'handed_over', 'decorating'}
                and not row['handover_date']):
            self.error(spec, row, self.column(spec, 'handover_date'),
                'msg_import_handover_date_required',
                status=dict((k, label) for k, label, *_ in STATUSES)[
                    row['status']])

    def _check_person(self, spec, row, name, phone, id_type, id_number,
            name_column, phone_column):
        "Return the _Person of the row, the same for the same person"
        if phone is not None:
            normalized = normalize_phone(phone)
            if not is_valid_phone(normalized):
                self.error(spec, row, self.column(spec, phone_column),
                    'msg_import_phone', value=phone)
                return
            phone = normalized
        if id_number is not None:
            id_number = normalize_id_number(id_number)
            if id_type is None:
                id_type = 'resident_id'
            if (id_type == 'resident_id'
                    and not is_valid_resident_id(id_number)):
                self.error(spec, row, self.column(spec, 'id_number'),
                    'msg_import_resident_id', value=id_number)
                return
        elif id_type is not None:
            self.error(spec, row, self.column(spec, 'id_number'),
                'msg_import_id_number_required')
            return
        if not name:
            if phone or id_number:
                self.error(spec, row, self.column(spec, name_column),
                    'msg_import_owner_name_required')
            return

        person = None
        if id_number:
            person = self._by_id_number.get(id_number)
            if person and person.name != name:
                self.error(spec, row, self.column(spec, name_column),
                    'msg_import_person_conflict', id_number=id_number,
                    name=person.name, sheet=person.row[0],
                    row=person.row[1])
                return
        if not person and phone:
            person = self._by_phone_name.get((phone, name))
            if (person and id_number and person.id_number
                    and person.id_number != id_number):
                # Namesakes sharing a phone but not their ID
                person = None
        if not person and not phone and not id_number:
            person = self._by_name.get(name)
        if not person:
            person = _Person(name, phone, id_type, id_number,
                (spec.name, row['_row']))
            self._persons.append(person)
        elif id_number and not person.id_number:
            person.id_type, person.id_number = id_type, id_number
        elif phone and not person.phone:
            person.phone = phone
        if person.id_number:
            self._by_id_number.setdefault(person.id_number, person)
        if person.phone:
            self._by_phone_name.setdefault((person.phone, name), person)
        if not phone and not id_number:
            self._by_name.setdefault(name, person)
        return person

    def _check_occupants(self):
        pool = Pool()
        Resource = pool.get('property.resource')
        spec = OCCUPANT_SHEET
        room_column = self.column(spec, 'room')
        to_find = set()
        for row in self.occupant_rows:
            row['resource'] = None
            if row['project'] and row['room']:
                key = (row['project'].id, row['room'])
                if key not in self._resources:
                    to_find.add(key)
            row['person'] = self._check_person(spec, row, row['name'],
                row['phone'], row['id_type'], row['id_number'],
                name_column='name', phone_column='phone')
            if (row['start_date'] and row['end_date']
                    and row['end_date'] < row['start_date']):
                self.error(spec, row, self.column(spec, 'end_date'),
                    'msg_import_end_before_start')

        by_project = {}
        for project_id, code in to_find:
            by_project.setdefault(project_id, []).append(code)
        found = {}
        with Transaction().set_context(active_test=False):
            for project_id, codes in by_project.items():
                for sub in grouped_slice(codes, _SEARCH_BATCH):
                    for resource in Resource.search([
                                ('project', '=', project_id),
                                ('code', 'in', list(sub)),
                                ]):
                        found[(project_id, resource.code)] = resource
        seen = {}
        for row in self.occupant_rows:
            if not row['project'] or not row['room']:
                continue
            key = (row['project'].id, row['room'])
            if key in found:
                row['resource'] = found[key]
            elif key not in self._resources:
                self.error(spec, row, room_column, 'msg_import_room_unknown',
                    code=row['room'], project=row['project'].rec_name)
                continue
            if row['person']:
                pair = (key, id(row['person']))
                if pair in seen:
                    self.error(spec, row, self.column(spec, 'name'),
                        'msg_import_occupant_duplicate', name=row['name'],
                        code=row['room'], row=seen[pair])
                else:
                    seen[pair] = row['_row']

    def _match_parties(self):
        "Find the persons of the file that are already parties"
        pool = Pool()
        Party = pool.get('party.party')
        id_numbers = [p.id_number for p in self._persons if p.id_number]
        by_id_number = {}
        for sub in grouped_slice(id_numbers, _SEARCH_BATCH):
            for party in Party.search([('id_number', 'in', list(sub))],
                    order=[('id', 'ASC')]):
                by_id_number.setdefault(party.id_number, party)
        phones = [p.phone for p in self._persons
            if p.phone and p.id_number not in by_id_number]
        by_phone_name = {}
        for sub in grouped_slice(sorted(set(phones)), _SEARCH_BATCH):
            for party in Party.search([('owner_phone', 'in', list(sub))],
                    order=[('id', 'ASC')]):
                by_phone_name.setdefault(
                    (party.owner_phone, party.name), party)
        for person in self._persons:
            party = by_id_number.get(person.id_number)
            if not party:
                party = by_phone_name.get((person.phone, person.name))
                if (party and person.id_number and party.id_number
                        and party.id_number != person.id_number):
                    party = None
            person.party = party

    def _check_existing_occupants(self):
        pool = Pool()
        Occupant = pool.get('property.occupant')
        rows = [r for r in self.occupant_rows
            if r['resource'] and r['person'] and r['person'].party]
        pairs = set()
        resource_ids = sorted({r['resource'].id for r in rows})
        for sub in grouped_slice(resource_ids, _SEARCH_BATCH):
            for occupant in Occupant.search([
                        ('resource', 'in', list(sub)),
                        ]):
                pairs.add((occupant.resource.id, occupant.party.id))
        for row in rows:
            if (row['resource'].id, row['person'].party.id) in pairs:
                self.error(OCCUPANT_SHEET, row,
                    self.column(OCCUPANT_SHEET, 'name'),
                    'msg_import_occupant_exists', name=row['name'],
                    code=row['room'])

    # Writing

    def save(self):
        "Create the records in batches; check must have passed"
        assert not self.errors
        pool = Pool()
        Party = pool.get('party.party')
        Resource = pool.get('property.resource')
        Ownership = pool.get('property.ownership')
        Occupant = pool.get('property.occupant')

        to_create = [p for p in self._persons if not p.party]
        # One sequence update per batch instead of one per party
        sequence = Party._code_sequence()
        for sub in grouped_slice(to_create, _CREATE_BATCH):
            sub = list(sub)
            vlist = [p.values() for p in sub]
            if sequence:
                for values, code in zip(vlist, sequence.get_many(len(sub))):
                    values['code'] = code
            parties = Party.create(vlist)
            for person, party in zip(sub, parties):
                person.party = party
        self.counts['parties'] = len(to_create)

        rows = list(self._resources.values())
        buildings = self._get_buildings(rows)
        units = self._get_units(rows, buildings)

        resources = []
        for sub in grouped_slice(rows, _CREATE_BATCH):
            sub = list(sub)
            resources.extend(Resource.create(
                    [self._resource_values(r, buildings, units)
                        for r in sub]))
        for row, resource in zip(rows, resources):
            row['resource'] = resource
        self.counts['resources'] = len(resources)

        ownerships = [{
                'resource': r['resource'].id,
                'party': r['person'].party.id,
                'share': r['share'],
                'primary': True,
                } for r in rows if r['person']]
        for sub in grouped_slice(ownerships, _CREATE_BATCH):
            Ownership.create(list(sub))
        self.counts['ownerships'] = len(ownerships)

        occupants = []
        for row in self.occupant_rows:
            resource = row['resource'] or self._resources[
                (row['project'].id, row['room'])]['resource']
            occupants.append({
                    'resource': resource.id,
                    'party': row['person'].party.id,
                    'relation': row['relation'],
                    'start_date': row['start_date'],
                    'end_date': row['end_date'],
                    'note': row['note'],
                    })
        for sub in grouped_slice(occupants, _CREATE_BATCH):
            Occupant.create(list(sub))
        self.counts['occupants'] = len(occupants)
        return self.counts

    def _get_buildings(self, rows):
        "Return the buildings by (project id, code), creating the missing"
        Building = Pool().get('property.building')
        wanted = {}
        for row in rows:
            if row['building']:
                key = (row['project'].id, row['building'])
                # The first name given names a new building
                if not wanted.get(key):
                    wanted[key] = row['building_name']
        buildings = {}
        project_ids = sorted({p for p, _ in wanted})
        codes = sorted({c for _, c in wanted})
        with Transaction().set_context(active_test=False):
            for sub in grouped_slice(codes, _SEARCH_BATCH):
                for building in Building.search([
                            ('project', 'in', project_ids),
                            ('code', 'in', list(sub)),
                            ]):
                    buildings[(building.project.id, building.code)] = (
                        building)
        missing = [k for k in wanted if k not in buildings]
        for sub in grouped_slice(missing, _CREATE_BATCH):
            sub = list(sub)
            created = Building.create([{
                        'project': project_id,
                        'code': code,
                        'name': wanted[(project_id, code)] or code,
                        } for project_id, code in sub])
            buildings.update(zip(sub, created))
        self.counts['buildings'] = len(missing)
        return buildings

    def _get_units(self, rows, buildings):
        "Return the units by (building id, code), creating the missing"
        Unit = Pool().get('property.unit')
        wanted = {}
        for row in rows:
            if row['unit']:
                building = buildings[(row['project'].id, row['building'])]
                wanted[(building.id, row['unit'])] = None
        units = {}
        building_ids = sorted({b for b, _ in wanted})
        with Transaction().set_context(active_test=False):
            for sub in grouped_slice(building_ids, _SEARCH_BATCH):
                for unit in Unit.search([('building', 'in', list(sub))]):
                    units[(unit.building.id, unit.code)] = unit
        missing = [k for k in wanted if k not in units]
        for sub in grouped_slice(missing, _CREATE_BATCH):
            sub = list(sub)
            created = Unit.create([{
                        'building': building_id,
                        'code': code,
                        'name': code,
                        } for building_id, code in sub])
            units.update(zip(sub, created))
        self.counts['units'] = len(missing)
        return units

    @staticmethod
    def _resource_values(row, buildings, units):
        building = unit = None
        if row['building']:
            building = buildings[(row['project'].id, row['building'])]
        if row['unit']:
            unit = units[(building.id, row['unit'])]
        values = {
            'project': row['project'].id,
            'building': building.id if building else None,
            'unit': unit.id if unit else None,
            }
        for name in ['kind', 'number', 'floor', 'status', 'handover_date',
                'occupancy', 'building_area', 'inner_area', 'layout',
                'orientation', 'business_scope', 'lease_status',
                'rent_amount', 'parking_type', 'plates', 'ad_position',
                'ad_size', 'note']:
            values[name] = row[name]
        return values


class ImportStart(ImportStartMixin, ModelView):
    "Import resources: template and file"
    __name__ = 'property.import.start'


class ImportResult(ImportResultMixin, ModelView):
    "Import resources: what was created or what is wrong"
    __name__ = 'property.import.result'

    buildings = fields.Integer("Buildings Created", readonly=True)
    units = fields.Integer("Units Created", readonly=True)
    resources = fields.Integer("Resources Created", readonly=True)
    parties = fields.Integer("Parties Created", readonly=True)
    ownerships = fields.Integer("Ownerships Created", readonly=True)
    occupants = fields.Integer("Occupants Created", readonly=True)


class Import(ImportWizardMixin, Wizard):
    "Import buildings, units, resources, owners and occupants from a file"
    __name__ = 'property.import'
    template_filename = TEMPLATE_FILENAME

    start = StateView('property.import.start',
        'aishang_property.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('property.import.result',
        'aishang_property.import_result_view_form', [
            Button("Back", 'start', 'tryton-back',
                states={'invisible': ~Eval('error_count')}),
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def get_importer(self, company_id):
        return ResourceImporter(company_id, self.start.project)

    def get_template(self, project):
        return write_template(project.code if project else None)
