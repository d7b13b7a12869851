# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class TemplateValidationError(ValidationError):
    pass


class TemplateRenderError(UserError):
    pass


class MessageTransitionError(UserError):
    pass


class MessageDeleteError(AccessError):
    pass
