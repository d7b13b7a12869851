# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ResourceValidationError(ValidationError):
    pass


class OwnershipValidationError(ValidationError):
    pass


class IdentityValidationError(ValidationError):
    pass


class ImportFileError(UserError):
    pass
