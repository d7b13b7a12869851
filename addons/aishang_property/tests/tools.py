# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Helpers shared by the tests of the property addon and the addons above it"
from decimal import Decimal

from lxml import etree

from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction


def create_project(company, code='CH', name="翠湖花园", **values):
    Project = Pool().get('property.project')
    project, = Project.create([{
                'company': company.id, 'code': code, 'name': name, **values}])
    return project


def create_building(project, code='2', units=('1',)):
    Building = Pool().get('property.building')
    building, = Building.create([{
                'project': project.id, 'code': code, 'name': f'{code}号楼',
                'units': [('create', [
                            {'code': u, 'name': f'{u}单元'} for u in units])],
                }])
    return building


def create_residence(building, unit, number, area='100.00', **values):
    Resource = Pool().get('property.resource')
    resource, = Resource.create([{
                'project': building.project.id,
                'building': building.id,
                'unit': unit.id,
                'kind': 'residence',
                'number': number,
                'building_area': Decimal(area),
                'inner_area': (Decimal(area) * Decimal('0.8')).quantize(Decimal('0.01')),
                'status': 'handed_over',
                'handover_date': values.pop('handover_date', None)
                or Pool().get('ir.date').today(),
                **values,
                }])
    return resource


def create_owner(name="王建国", phone='13800138000', **values):
    Party = Pool().get('party.party')
    party, = Party.create([{
                'name': name, 'owner': True, 'owner_phone': phone, **values}])
    return party


def xlsx_bytes(*sheets):
    """Return an .xlsx file of (title, headers, rows) sheets.

    None in rows is a blank row.
    """
    import io

    import openpyxl
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        worksheet = workbook.create_sheet(title)
        for row in [headers] + rows:
            worksheet.append(row or [])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(headers, rows, encoding):
    import csv
    import io
    output = io.StringIO()
    writer = csv.writer(output)
    for row in [headers] + rows:
        writer.writerow(['' if v is None else v for v in (row or [])])
    return output.getvalue().encode(encoding)


def run_import_wizard(name, data, filename, project=None):
    "Run an import wizard and return the values of its result view"
    Import = Pool().get(name, type='wizard')
    session_id, _, _ = Import.create()
    start = Import.execute(session_id, {}, 'start')['view']['defaults']
    result = Import.execute(session_id, {'start': {
                'file': data, 'filename': filename,
                'project': project.id if project else None,
                }}, 'import_')
    Import.delete(session_id)
    values = result['view']['defaults']
    values['start'] = start
    return values


class SaoViewsMixin:
    """What Tryton's view test lets through and Sao cannot show.

    Sao has no list column for a DateTime or Timestamp field: the list
    fails to open unless the field has widget="date" or "time". A PYSON
    attribute written as Python in the XML (visual="If(...)") reaches the
    client as text; it belongs in view_attributes().
    """

    @with_transaction()
    def test_views_sao_can_show(self):
        pool = Pool()
        View = pool.get('ir.ui.view')
        for view in View.search([('module', '=', self.module)]):
            base = view.inherit or view
            if not view.model or base.type != 'tree':
                continue
            Model = pool.get(view.model)
            result = Model.fields_view_get(view_id=base.id)
            tree = etree.fromstring(result['arch'])
            for element in tree.iter():
                for attribute, value in element.attrib.items():
                    self.assertNotRegex(value, r'\b(Eval|If|Bool)\(',
                        msg=f"{view.name}: {element.tag} {attribute}")
                if element.tag != 'field':
                    continue
                name = element.get('name')
                type_ = result['fields'].get(name, {}).get('type')
                if type_ in {'datetime', 'timestamp'}:
                    self.assertIn(element.get('widget'), {'date', 'time'},
                        msg=f"{view.name}: {name} is a {type_}")
