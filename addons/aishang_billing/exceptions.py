# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class ScopeValidationError(ValidationError):
    pass


class PriceRuleValidationError(ValidationError):
    pass


class BillValidationError(ValidationError):
    pass


class BillDeleteError(AccessError):
    pass


class BillRunError(UserError):
    pass


class BillingConfigurationError(UserError):
    pass
