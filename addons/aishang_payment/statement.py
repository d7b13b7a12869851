# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Channel statements (对账单) and their comparison with our orders, as pure
functions.

Three CSV layouts are read, recognised by their header (docs/payments.md):

* WeChat Pay trade bill (交易账单): header ``交易时间,公众账号ID,…``, every
  value prefixed by a back-quote, a summary after the line ``总交易单数,…``;
  rows whose 交易状态 is SUCCESS are payments, their 商户订单号, 微信订单号
  and 订单金额 (else 应结订单金额) are read.
* Alipay business detail (业务明细): lines starting with # are comments;
  rows whose 业务类型 is 交易 are payments (商户订单号, 支付宝交易号,
  订单金额（元）). Usually GBK encoded.
* Plain: ``out_trade_no,transaction_id,amount[,status]``, one payment per
  row; a status other than SUCCESS or paid skips the row. For UnionPay and
  the sandbox.
"""
import csv
from collections import namedtuple
from decimal import Decimal, InvalidOperation

from .channel_base import CENT, StatementRow

MATCHED = 'matched'
MISSING_STATEMENT = 'missing_statement'
MISSING_SYSTEM = 'missing_system'
AMOUNT_MISMATCH = 'amount_mismatch'

SystemPayment = namedtuple('SystemPayment',
    ['out_trade_no', 'amount', 'transaction_id'])
Comparison = namedtuple('Comparison', ['status', 'out_trade_no',
        'transaction_id', 'statement_amount', 'order_amount', 'line'])


class StatementError(ValueError):
    "A statement that cannot be read: args are (line, reason)"


def decode(data):
    if isinstance(data, str):
        return data
    for encoding in ('utf-8-sig', 'gb18030'):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementError(1, 'encoding')


def _amount(text, line):
    try:
        amount = Decimal(text.replace(',', '').strip())
    except InvalidOperation:
        raise StatementError(line, 'amount')
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise StatementError(line, 'amount')
    return amount.quantize(CENT)


def _clean(value):
    return (value or '').strip().lstrip('`').strip()


def parse_statement(data):
    "The successful payments of a statement (bytes or text)"
    text = decode(data)
    lines = [(n, l) for n, l in enumerate(text.splitlines(), 1)
        if l.strip() and not l.lstrip().startswith('#')]
    if not lines:
        return []
    number, first = lines[0]
    headers = [_clean(h) for h in next(csv.reader([first]))]
    if '商户订单号' in headers and '微信订单号' in headers:
        return _parse(lines, headers, number, out='商户订单号',
            transaction='微信订单号',
            amounts=['订单金额', '应结订单金额'],
            status=('交易状态', {'SUCCESS'}), stop='总交易单数')
    if '商户订单号' in headers and '支付宝交易号' in headers:
        return _parse(lines, headers, number, out='商户订单号',
            transaction='支付宝交易号',
            amounts=['订单金额（元）', '订单金额(元)'],
            status=('业务类型', {'交易'}))
    if 'out_trade_no' in headers and 'amount' in headers:
        return _parse(lines, headers, number, out='out_trade_no',
            transaction='transaction_id', amounts=['amount'],
            status=('status', {'SUCCESS', 'paid', ''}))
    raise StatementError(number, 'header')


def _parse(lines, headers, header_line, out, transaction, amounts, status,
        stop=None):
    amount_column = next((a for a in amounts if a in headers), None)
    if amount_column is None:
        raise StatementError(header_line, 'header')
    status_column, accepted = status
    rows = []
    for number, line in lines[1:]:
        values = [_clean(v) for v in next(csv.reader([line]))]
        if stop and values and values[0] == stop:
            break
        record = dict(zip(headers, values))
        if status_column in record and record[status_column] not in accepted:
            continue
        if not record.get(out):
            raise StatementError(number, out)
        rows.append(StatementRow(
                out_trade_no=record[out],
                amount=_amount(record.get(amount_column, ''), number),
                transaction_id=record.get(transaction) or None,
                line=number))
    return rows


def compare(payments, rows):
    """Compare our payments of a day with a statement's rows.

    payments are SystemPayment, rows StatementRow. Each order is matched
    once by its out_trade_no; a second row for it is missing in the system.
    """
    ours = {p.out_trade_no: p for p in payments}
    seen = set()
    result = []
    for row in rows:
        payment = ours.get(row.out_trade_no)
        if payment is None or row.out_trade_no in seen:
            result.append(Comparison(MISSING_SYSTEM, row.out_trade_no,
                    row.transaction_id, row.amount, None, row.line))
            continue
        seen.add(row.out_trade_no)
        status = MATCHED if payment.amount == row.amount else AMOUNT_MISMATCH
        result.append(Comparison(status, row.out_trade_no,
                row.transaction_id or payment.transaction_id, row.amount,
                payment.amount, row.line))
    for payment in payments:
        if payment.out_trade_no not in seen:
            result.append(Comparison(MISSING_STATEMENT,
                    payment.out_trade_no, payment.transaction_id, None,
                    payment.amount, None))
    return result
