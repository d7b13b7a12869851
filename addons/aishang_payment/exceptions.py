# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class PaymentOrderError(UserError):
    "An online payment that may not be made as asked"


class PaymentChannelError(UserError):
    "A payment channel that is not set up or that refused a request"


class ChannelValidationError(ValidationError):
    pass


class ReconciliationError(UserError):
    pass
