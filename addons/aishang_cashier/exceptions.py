# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.exceptions import UserError


class ReceiptError(UserError):
    pass


class OwnerAccountError(UserError):
    pass


class RefundError(UserError):
    pass


class ReviewPendingError(UserError):
    pass
