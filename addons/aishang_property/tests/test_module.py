# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class AishangPropertyTestCase(CompanyTestMixin, ModuleTestCase):
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


del ModuleTestCase
