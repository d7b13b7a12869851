# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from . import h5, inbox, payment, routes, tickets  # noqa: F401
