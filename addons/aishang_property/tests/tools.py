# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Helpers shared by the tests of the property addon and the addons above it"
from decimal import Decimal

from trytond.pool import Pool


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
