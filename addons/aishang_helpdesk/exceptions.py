# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class TicketTransitionError(UserError):
    "A step asked of a ticket in a state it does not start from"


class TicketStepDisabledError(UserError):
    "A step the company switched off for the kind of the ticket"


class TicketActionError(UserError):
    "A step asked without what it needs (technician, reason, rating…)"


class TicketValidationError(ValidationError):
    pass


class TicketDeleteError(AccessError):
    pass


class TicketWorkflowFieldError(AccessError):
    "A field only the steps set, written by a user"


class TicketMessageError(AccessError):
    pass


class TicketBillError(UserError):
    pass
