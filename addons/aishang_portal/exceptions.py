# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class PortalError(UserError):
    """An error of the owner API, answered as
    {"error": {"code": error_code, "message": message}} with http_status.

    keep: commit what the request wrote before the error (a failed code
    attempt, a failed verification) instead of rolling it back.
    The API recognises these errors by their attributes, not their class,
    so that a second import of the package (pytest) still maps them.
    """
    http_status = 400
    error_code = 'bad_request'
    keep = False

    def __init__(self, message, description='', *, code=None, status=None,
            field=None, keep=None, retry_after=None, details=None):
        super().__init__(message, description)
        if code is not None:
            self.error_code = code
        if status is not None:
            self.http_status = status
        if keep is not None:
            self.keep = keep
        self.field = field
        self.retry_after = retry_after
        self.details = details or {}


class BadInputError(PortalError):
    http_status = 400
    error_code = 'invalid_field'


class UnauthorizedError(PortalError):
    http_status = 401
    error_code = 'unauthorized'


class ForbiddenError(PortalError):
    http_status = 403
    error_code = 'forbidden'


class NotFoundError(PortalError):
    http_status = 404
    error_code = 'not_found'


class ConflictError(PortalError):
    http_status = 409
    error_code = 'conflict'


class RateLimitError(PortalError):
    http_status = 429
    error_code = 'rate_limited'


class UpstreamError(PortalError):
    "WeChat or the SMS service failed or is not configured"
    http_status = 502
    error_code = 'upstream_failed'


class NoticeValidationError(ValidationError):
    pass


class NoticeAttachmentError(ValidationError):
    pass
