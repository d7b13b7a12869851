# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, TransactionError

from ..identity import (
    is_valid_resident_id, mask_id_number, mask_phone, normalize_phone)
from ..project import location_id, split_location_id
from ..tools import lock_together, natural_key
from .tools import (
    SaoViewsMixin, create_building, create_owner, create_project,
    create_residence)


class IdentityTestCase(unittest.TestCase):
    "Pure identity helpers"

    def test_resident_id(self):
        for value, valid in [
                ('11010519491231002X', True),
                ('11010519491231002x', True),
                ('110105194912310021', False),
                ('44052418800101001', False),
                ('4405241880010100111', False),
                ('', False),
                (None, False),
                ]:
            with self.subTest(value=value):
                self.assertEqual(is_valid_resident_id(value), valid)

    def test_masks(self):
        self.assertEqual(
            mask_id_number('11010519491231002X'), '110***********002X')
        self.assertEqual(mask_id_number('AB12'), '****')
        self.assertEqual(mask_phone('13800138000'), '138****8000')

    def test_normalize_phone(self):
        for value, expected in [
                (13800138000.0, '13800138000'),
                (13800138000, '13800138000'),
                ('138 0013 8000', '13800138000'),
                ('0571-8888-6666', '057188886666'),
                ('13800138000.0', '13800138000'),
                (None, None),
                ('', None),
                ]:
            with self.subTest(value=value):
                self.assertEqual(normalize_phone(value), expected)

    def test_location_ids_round_trip(self):
        for kind in ['project', 'building', 'unit']:
            for record_id in [1, 2, 77, 100000]:
                with self.subTest(kind=kind, record_id=record_id):
                    self.assertEqual(
                        split_location_id(location_id(kind, record_id)),
                        (kind, record_id))

    def test_natural_order_of_codes(self):
        codes = ['10', 'B2', '2', None, 'A10', '２', '1-10-101', 'A2',
            '1-2-1001', '1-2-101', '地下室', '1²']
        self.assertEqual(sorted(codes, key=natural_key), [
                None, '1-2-101', '1-2-1001', '1-10-101', '1²', '2', '２',
                '10', 'A2', 'A10', 'B2', '地下室'])


class AishangPropertyTestCase(SaoViewsMixin, CompanyTestMixin, ModuleTestCase):
    "Test Aishang Property module"
    module = 'aishang_property'

    @property
    def _skip_company_rule(self):
        # Resources are scoped by the project rule, and projects are only
        # seen in the user's companies (res.User.get_projects).
        return super()._skip_company_rule | {
            ('property.resource', 'company'),
            ('property.ownership', 'company'),
            ('property.occupant', 'company'),
            }

    @with_transaction()
    def test_lock_together(self):
        "All the missing locks are asked for in one restart"
        pool = Pool()
        Project = pool.get('property.project')
        Resource = pool.get('property.resource')
        with self.assertRaises(TransactionError) as cm:
            lock_together((Project, None), (Resource, [3, 1]),
                (Resource, [1, 2]), (Project, None))
        extras = {'_lock_records': {'property_resource': [7]}}
        cm.exception.fix(extras)
        self.assertEqual(extras, {
                '_lock_tables': ['property_project'],
                '_lock_records': {'property_resource': [7, 1, 2, 3]},
                })
        # nothing to ask for: neither records nor tables
        lock_together((Resource, []))

    @with_transaction()
    def test_resource_code(self):
        "The room code joins building, unit and number and follows renames"
        pool = Pool()
        Resource = pool.get('property.resource')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project, '2', ['1'])
            unit, = building.units
            resource = create_residence(building, unit, '0301')
            self.assertEqual(resource.code, '2-1-0301')
            self.assertEqual(Resource.search([('rec_name', '=', '2-1-0301')]),
                [resource])

            building.code = '12'
            building.save()
            resource = Resource(resource.id)
            self.assertEqual(resource.code, '12-1-0301')

            resource.number = '302'
            resource.save()
            self.assertEqual(Resource(resource.id).code, '12-1-302')

            parking, = Resource.create([{
                        'project': project.id, 'kind': 'parking',
                        'number': 'B1-023', 'status': 'handed_over',
                        'handover_date': dt.date(2024, 1, 1)}])
            self.assertEqual(parking.code, 'B1-023')

    @with_transaction()
    def test_resource_code_unique(self):
        "The same room twice in a project is refused"
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project)
            unit, = building.units
            create_residence(building, unit, '301')
            with self.assertRaises(UserError):
                create_residence(building, unit, '301')

    @with_transaction()
    def test_billing_area_follows_project_basis(self):
        "The billing area is the building or inner area per project"
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project)
            unit, = building.units
            resource = create_residence(building, unit, '301', area='125.50')
            self.assertEqual(resource.billing_area, Decimal('125.50'))
            project.area_basis = 'inner'
            project.save()
            resource = type(resource)(resource.id)
            self.assertEqual(resource.billing_area, Decimal('100.40'))

    @with_transaction()
    def test_resource_checks(self):
        "Negative and inconsistent areas are refused"
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project)
            unit, = building.units
            with self.assertRaises(UserError):
                create_residence(building, unit, '301', area='-1')
            resource = create_residence(building, unit, '302')
            resource.inner_area = Decimal('120')
            with self.assertRaises(UserError):
                resource.save()

    @with_transaction()
    def test_resource_unit_of_other_building(self):
        "A unit of another building is refused"
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building2 = create_building(project, '2')
            building3 = create_building(project, '3')
            with self.assertRaises(UserError):
                create_residence(building2, building3.units[0], '301')

    @with_transaction()
    def test_ownership_shares(self):
        "Overlapping shares above 100 % are refused, successive ones not"
        pool = Pool()
        Ownership = pool.get('property.ownership')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project)
            unit, = building.units
            resource = create_residence(building, unit, '301')
            wang = create_owner("王建国", '13800138000')
            li = create_owner("李秀英", '13900139000')
            zhang = create_owner("张伟", '13700137000')
            Ownership.create([
                    {'resource': resource.id, 'party': wang.id,
                        'share': Decimal(50),
                        'end_date': dt.date(2023, 12, 31)},
                    {'resource': resource.id, 'party': li.id,
                        'share': Decimal(50),
                        'end_date': dt.date(2023, 12, 31)},
                    ])
            Ownership.create([{
                        'resource': resource.id, 'party': zhang.id,
                        'share': Decimal(100),
                        'start_date': dt.date(2024, 1, 1)}])
            self.assertEqual(resource.owners, (zhang,))
            self.assertEqual(resource.owner_names, "张伟")
            self.assertEqual(resource.owner_phone, '13700137000')
            with self.assertRaises(UserError):
                Ownership.create([{
                            'resource': resource.id, 'party': wang.id,
                            'share': Decimal(10),
                            'start_date': dt.date(2023, 12, 1)}])

    @with_transaction()
    def test_one_owner_several_resources(self):
        "One owner with a home and a parking space, found by name and phone"
        pool = Pool()
        Resource = pool.get('property.resource')
        Ownership = pool.get('property.ownership')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project)
            unit, = building.units
            home = create_residence(building, unit, '301')
            parking, = Resource.create([{
                        'project': project.id, 'kind': 'parking',
                        'number': 'B1-001', 'plates': '浙A·12345',
                        'status': 'unsold'}])
            owner = create_owner("陈静", '138 0013 8001')
            self.assertEqual(owner.owner_phone, '13800138001')
            Ownership.create([
                    {'resource': home.id, 'party': owner.id},
                    {'resource': parking.id, 'party': owner.id},
                    ])
            self.assertEqual(
                Resource.search([('owner_names', 'ilike', '%陈静%')]),
                [home, parking])
            self.assertEqual(
                Resource.search([('rec_name', '=', '13800138001')]),
                [home, parking])

    @with_transaction()
    def test_party_identity(self):
        "Resident IDs are checked and masked"
        company = create_company()
        with set_company(company):
            with self.assertRaises(UserError):
                create_owner(
                    "赵敏", '13600136000', id_type='resident_id',
                    id_number='110105194912310021')
            owner = create_owner(
                "赵敏", '13600136000', id_type='resident_id',
                id_number='11010519491231002x')
            self.assertEqual(owner.id_number, '11010519491231002X')
            self.assertEqual(owner.id_number_masked, '110***********002X')
            with self.assertRaises(UserError):
                create_owner("钱多", 'abc')

    @with_transaction()
    def test_location_tree(self):
        "The location tree nests units under buildings under projects"
        pool = Pool()
        Location = pool.get('property.location')
        Resource = pool.get('property.resource')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project, '2', ['1', '2'])
            unit1, unit2 = building.units
            create_residence(building, unit1, '101')
            create_residence(building, unit1, '102')
            r3 = create_residence(building, unit2, '101')

            root, = Location.search([('parent', '=', None)])
            self.assertEqual((root.kind, root.name), ('project', "翠湖花园"))
            self.assertEqual(root.resource_count, 3)
            b_node, = root.children
            self.assertEqual(b_node.resource_count, 3)
            u_nodes = sorted(b_node.children, key=lambda n: n.code)
            self.assertEqual([n.resource_count for n in u_nodes], [2, 1])
            self.assertEqual(
                Resource.search([('location', 'in', [u_nodes[1].id])]), [r3])
            self.assertEqual(
                len(Resource.search([('location', '=', root.id)])), 3)

    @with_transaction()
    def test_project_record_rules(self):
        "A user of project 1 cannot read project 2 or its resources"
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        Project = pool.get('property.project')
        Resource = pool.get('property.resource')
        company = create_company()
        with set_company(company):
            p1 = create_project(company, 'CH', "翠湖花园")
            p2 = create_project(company, 'JG', "金桂苑")
            b1 = create_building(p1)
            b2 = create_building(p2)
            r1 = create_residence(b1, b1.units[0], '301')
            create_residence(b2, b2.units[0], '301')
        read_group = Group(ModelData.get_id(
                'aishang_property', 'group_property_read'))
        all_group = Group(ModelData.get_id(
                'aishang_property', 'group_property_all_projects'))
        user, = User.create([{
                    'login': 'zhou', 'name': "周丽",
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [read_group.id])],
                    'projects': [('add', [p1.id])],
                    }])
        with Transaction().set_user(user.id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            self.assertEqual(Project.search([]), [p1])
            self.assertEqual(Resource.search([]), [r1])
            with self.assertRaises(AccessError):
                Project.read([p2.id], ['name'])
            with self.assertRaises(AccessError):
                Resource.write([r1], {'floor': 3})

        User.write([user], {'groups': [('add', [all_group.id])]})
        with Transaction().set_user(user.id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            self.assertEqual(Project.search([]), [p1, p2])

    @with_transaction()
    def test_verification_links_owned_resources(self):
        "A verification by phone links the resources owned that day"
        pool = Pool()
        Verification = pool.get('property.owner.verification')
        Ownership = pool.get('property.ownership')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project)
            unit, = building.units
            home = create_residence(building, unit, '301')
            old = create_residence(building, unit, '302')
            owner = create_owner("孙丽", '13500135000')
            Ownership.create([
                    {'resource': home.id, 'party': owner.id},
                    {'resource': old.id, 'party': owner.id,
                        'end_date': dt.date(2020, 1, 1)},
                    ])
            ok = Verification.record(company, '135-0013-5000', 'sms', 'o-1')
            self.assertEqual(ok.state, 'verified')
            self.assertEqual(ok.party, owner)
            self.assertEqual(list(ok.linked_resources), [home])
            failed = Verification.record(company, '13300000000', 'sms')
            self.assertEqual(
                (failed.state, failed.reason), ('failed', 'no_owner'))

    @with_transaction()
    def test_custom_fields(self):
        "Custom fields are stored on resources and owners"
        pool = Pool()
        CustomField = pool.get('property.custom_field')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building = create_building(project)
            CustomField.create([
                    {'target': 'resource', 'name': 'decoration',
                        'string': "装修情况", 'type_': 'selection',
                        'selection': 'rough:毛坯\nfine:精装',
                        'projects': [('add', [project.id])]},
                    {'target': 'party', 'name': 'employer',
                        'string': "工作单位", 'type_': 'char'},
                    ])
            resource = create_residence(
                building, building.units[0], '301',
                custom_fields={'decoration': 'fine'})
            owner = create_owner(custom_fields={'employer': "西湖区政府"})
            self.assertEqual(resource.custom_fields, {'decoration': 'fine'})
            self.assertEqual(owner.custom_fields, {'employer': "西湖区政府"})


del ModuleTestCase
