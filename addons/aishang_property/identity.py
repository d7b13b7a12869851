# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Pure helpers for personal identifiers: no Pool, no Transaction."""
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = '10X98765432'
_ID_RE = re.compile(r'^\d{17}[\dX]$')
_PHONE_RE = re.compile(r'^\+?\d{5,20}$')


def normalize_id_number(value):
    "Return the ID number upper-cased and without spaces"
    if value is None:
        return None
    return re.sub(r'\s+', '', str(value)).upper() or None


def is_valid_resident_id(value):
    "Check an 18-digit resident identity card number (GB 11643) checksum"
    value = normalize_id_number(value)
    if not value or not _ID_RE.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17]


def mask_id_number(value):
    "Keep the first 3 and last 4 characters visible, mask the rest"
    value = normalize_id_number(value)
    if not value:
        return ''
    if len(value) <= 7:
        return '*' * len(value)
    return value[:3] + '*' * (len(value) - 7) + value[-4:]


def normalize_phone(value):
    """Return the phone as text without separators.

    Spreadsheets store phone numbers as numbers (13800138000.0) and people
    write them with spaces or dashes; both must end up as the same text.
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r'[\s\-()（）]', '', str(value))
    if text.endswith('.0') and text[:-2].isdigit():
        text = text[:-2]
    return text or None


def is_valid_phone(value):
    return bool(value) and bool(_PHONE_RE.match(value))


def mask_phone(value):
    if not value:
        return ''
    if len(value) < 7:
        return value
    return value[:3] + '*' * (len(value) - 7) + value[-4:]
