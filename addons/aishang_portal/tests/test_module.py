# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.aishang_property.tests.tools import SaoViewsMixin
from trytond.tests.test_tryton import ModuleTestCase


class AishangPortalTestCase(SaoViewsMixin, CompanyTestMixin, ModuleTestCase):
    "Test Aishang Portal module"
    module = 'aishang_portal'


del ModuleTestCase
