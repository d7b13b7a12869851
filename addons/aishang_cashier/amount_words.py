# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Amounts in Chinese capital numerals (人民币大写), as cheques and receipts
write them.

The zero and 整 rules follow the People's Bank of China rules for filling
in bills and settlement vouchers (正确填写票据和结算凭证的基本规定); where
they allow two forms, the first one of their examples is written:

* a run of zeros inside the amount is one 零: 6,007.14 is 陆仟零柒元壹角肆分;
* zeros closing a group of four digits are not written, a group all zeros
  is one 零: 107,000.53 is 壹拾万柒仟元零伍角叁分, 100,000,001.23 is
  壹亿零壹元贰角叁分;
* 零 after 元 when the yuan digit is 0 and jiao is not (1,680.32 is
  壹仟陆佰捌拾元零叁角贰分) and always when jiao is 0 and fen is not
  (325.04 is 叁佰贰拾伍元零肆分);
* 整 after 元 only: 1,409.50 is 壹仟肆佰零玖元伍角.
"""
from decimal import ROUND_HALF_UP, Decimal

__all__ = ['amount_in_words']

DIGITS = '零壹贰叁肆伍陆柒捌玖'
SMALL_UNITS = ['', '拾', '佰', '仟']
GROUP_UNITS = ['', '万', '亿', '万亿']
CENT = Decimal('0.01')
LIMIT = 10 ** (4 * len(GROUP_UNITS))


def _integer_words(number):
    "Words of the positive integer number, without 元"
    digits = str(number)
    length = len(digits)
    words = []
    zero = False
    group_nonzero = False
    for i, char in enumerate(digits):
        position = length - 1 - i
        digit = int(char)
        if digit:
            if zero:
                words.append(DIGITS[0])
            zero = False
            group_nonzero = True
            words.append(DIGITS[digit] + SMALL_UNITS[position % 4])
        else:
            zero = True
        if position % 4 == 0:
            if group_nonzero:
                words.append(GROUP_UNITS[position // 4])
                # the zeros closing a group are not written
                zero = False
            group_nonzero = False
    return ''.join(words)


def amount_in_words(amount):
    """Return amount (a Decimal in yuan) in Chinese capital numerals.

    The amount is rounded half up to the fen; a negative amount starts
    with 负. ValueError is raised from 10^16 yuan up.
    """
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        return '负' + amount_in_words(-amount)
    fen = int(amount * 100)
    yuan, rest = divmod(fen, 100)
    jiao, fen = divmod(rest, 10)
    if yuan >= LIMIT:
        raise ValueError("amount too large: %s" % amount)
    if not (yuan or jiao or fen):
        return '零元整'
    words = []
    if yuan:
        words.append(_integer_words(yuan) + '元')
    if not (jiao or fen):
        words.append('整')
        return ''.join(words)
    if jiao:
        if yuan and yuan % 10 == 0:
            words.append(DIGITS[0])
        words.append(DIGITS[jiao] + '角')
    elif yuan:
        words.append(DIGITS[0])
    if fen:
        words.append(DIGITS[fen] + '分')
    return ''.join(words)
