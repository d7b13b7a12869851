# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The sheet and columns of the historical bill import files: no Pool.

Headers, sheet names and notes are the data format of the files and are
Chinese by design; the messages about them are ir.message records.
"""
import datetime as dt
from decimal import Decimal

from trytond.modules.aishang_property import tabular
from trytond.modules.aishang_property.tabular import (
    DATE, DECIMAL, Column, SheetSpec)

BILL_SHEET = SheetSpec("账单", [
        Column('project', "项目编码", aliases=["项目", "Project"],
            help="项目的编码；留空时使用导入向导中选择的默认项目。"),
        Column('building', "楼栋编号", aliases=["楼栋", "楼号", "Building"],
            help="可选：楼栋、单元、房号分列填写时的楼栋部分；"
            "留空时「房号」列填写完整房号。"),
        Column('unit', "单元编号", aliases=["单元", "Unit"],
            help="可选：分列填写时的单元部分。"),
        Column('room', "房号", required=True,
            aliases=["房屋编码", "资源编码", "Room", "Resource"],
            help="完整房号：楼栋-单元-房号，如 2-1-301，车位如 B1-023；"
            "或分列填写时的房号部分。房屋须已在系统中。"),
        Column('fee_item', "收费项目编码", required=True,
            aliases=["收费项目", "费项编码", "收费科目编码", "Fee Item"],
            help="收费项目（收费科目）的编码，如 WYF。"),
        Column('period_start', "计费起", type=DATE, required=True,
            aliases=["计费开始日期", "计费起始日期", "计费开始",
                "Period Start"],
            help="同一房屋、同一收费项目、同一计费起日期只能有一张账单。"),
        Column('period_end', "计费止", type=DATE, required=True,
            aliases=["计费结束日期", "计费截止日期", "计费结束",
                "Period End"],
            help="不能早于计费起。"),
        Column('amount', "应收金额", type=DECIMAL, required=True, minimum=0,
            aliases=["应收", "Amount"], help="单位：元。"),
        Column('paid', "已收金额", type=DECIMAL, minimum=0,
            aliases=["实收金额", "已收", "已缴金额", "Paid"],
            help="留空时为 0。已收金额加优惠金额不能超过应收金额；"
            "相等时账单为已缴清，否则为部分缴费或未缴。"),
        Column('discount', "优惠金额", type=DECIMAL, minimum=0,
            aliases=["减免金额", "优惠", "减免", "Discount"],
            help="留空时为 0。"),
        Column('due_date', "应缴日期", type=DATE, required=True,
            aliases=["缴费期限", "到期日期", "Due Date"],
            help="逾期的未缴账单从此日后计算滞纳金。"),
        Column('number', "账单编号", aliases=["原账单编号", "单据编号",
                "Number", "Bill Number"],
            help="可选：保留原系统的账单编号，不能重复；留空时自动编号。"),
        Column('payer', "缴费人", aliases=["业主姓名", "付款人", "Payer"],
            help="可选：房屋某位业主的姓名；留空时为计费起当日的主业主。"),
        Column('paid_date', "收款日期", type=DATE,
            aliases=["缴费日期", "实收日期", "Paid Date"],
            help="可选：已收款账单的收款日期，记入账单说明。"),
        Column('note', "备注", aliases=["Note"]),
        ],
    aliases=["应收账单", "历史账单", "Bills"],
    help="每行一张历史账单：一处房屋、一个收费项目、一个计费期间。"
    "只有未收部分（应收 − 已收 − 优惠）记入应收账款；"
    "已收款项已在原系统入账。")

NOTES_SHEET = "填写说明"
TEMPLATE_FILENAME = "账单导入模板.xlsx"


def template_examples(project_code=None, room=None, fee_item_code=None):
    "Return the example rows: a paid, a partially paid and an open bill"
    project_code = project_code or 'CH'
    room = room or '2-1-301'
    fee_item_code = fee_item_code or 'WYF'
    common = {'project': project_code, 'room': room,
        'fee_item': fee_item_code}
    return {BILL_SHEET.name: [{
                **common,
                'period_start': dt.date(2024, 1, 1),
                'period_end': dt.date(2024, 1, 31),
                'amount': Decimal('205.85'), 'paid': Decimal('195.85'),
                'discount': Decimal('10.00'),
                'due_date': dt.date(2024, 1, 15), 'number': 'SF2024010001',
                'paid_date': dt.date(2024, 1, 10), 'note': "老系统迁移",
                }, {
                **common,
                'period_start': dt.date(2024, 2, 1),
                'period_end': dt.date(2024, 2, 29),
                'amount': Decimal('205.85'), 'paid': Decimal('100.00'),
                'due_date': dt.date(2024, 2, 15),
                'paid_date': dt.date(2024, 2, 20),
                }, {
                **common,
                'period_start': dt.date(2024, 3, 1),
                'period_end': dt.date(2024, 3, 31),
                'amount': Decimal('205.85'),
                'due_date': dt.date(2024, 3, 15),
                }]}


def write_template(project_code=None, room=None, fee_item_code=None):
    return tabular.write_template([BILL_SHEET],
        template_examples(project_code, room, fee_item_code))
