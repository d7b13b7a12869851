# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class PolicyValidationError(ValidationError):
    pass


class RequestSubmitError(UserError):
    pass


class RequestPendingError(UserError):
    pass


class RequestStateError(UserError):
    pass


class ReviewerError(AccessError):
    pass


class DecisionCommentError(UserError):
    pass
