# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The sheets and columns of the resource import files: no Pool.

Headers, sheet names and labels are the data format of the files and are
Chinese by design; the messages about them are ir.message records.
"""
import datetime as dt
from decimal import Decimal

from . import tabular
from .tabular import DATE, DECIMAL, INTEGER, SELECTION, Column, SheetSpec

KINDS = [
    ('residence', "住宅", "住房", "Residence"),
    ('shop', "商铺", "店铺", "商业", "Shop"),
    ('ad_space', "广告位", "Ad Space"),
    ('basement', "地下室", "储藏室", "杂物间", "Basement"),
    ('parking', "车位", "车库", "停车位", "Parking"),
    ]
STATUSES = [
    ('unsold', "未售"),
    ('sold', "已售未交付", "已售"),
    ('handed_over', "已交付", "已交房"),
    ('decorating', "装修中", "装修"),
    ]
OCCUPANCIES = [
    ('self_occupied', "自住"),
    ('rented', "出租", "已出租", "租住"),
    ('vacant', "空置", "空房"),
    ]
ID_TYPES = [
    ('resident_id', "身份证", "居民身份证"),
    ('passport', "护照"),
    ('hk_macao_permit', "港澳居民来往内地通行证", "港澳通行证", "回乡证"),
    ('taiwan_permit', "台湾居民来往大陆通行证", "台胞证"),
    ('business_license', "营业执照"),
    ('other', "其他"),
    ]
PARKING_TYPES = [
    ('underground', "地下"),
    ('surface', "地面"),
    ('mechanical', "机械"),
    ]
LEASE_STATUSES = [
    ('leased', "已出租", "出租"),
    ('self_operated', "自营"),
    ('for_lease', "待租", "招租"),
    ]
RELATIONS = [
    ('owner', "业主", "本人"),
    ('spouse', "配偶", "夫妻", "丈夫", "妻子"),
    ('child', "子女", "儿子", "女儿"),
    ('parent', "父母", "父亲", "母亲"),
    ('relative', "其他亲属", "亲属"),
    ('tenant', "租户", "租客"),
    ('tenant_family', "租户家属"),
    ('employee', "员工"),
    ('other', "其他"),
    ]
HUNDRED = Decimal(100)
_PROJECT_HELP = "项目的编码；留空时使用导入向导中选择的默认项目。"

RESOURCE_SHEET = SheetSpec("资源", [
        Column('project', "项目编码", aliases=["项目", "Project"],
            help=_PROJECT_HELP),
        Column('building', "楼栋编号", aliases=["楼栋", "楼号", "栋号",
                "Building"],
            help="房号中的楼栋部分，如 2-1-301 中的 2；不存在时自动创建楼栋。"
            "车位等不在楼内的资源可留空。"),
        Column('building_name', "楼栋名称",
            help="新建楼栋的名称，如 2号楼；留空时与楼栋编号相同。"),
        Column('unit', "单元编号", aliases=["单元", "Unit"],
            help="房号中的单元部分，如 2-1-301 中的 1；不存在时自动创建。"),
        Column('number', "房号", required=True,
            aliases=["房间号", "编号", "Number"],
            help="房间或车位号，如 301、0301、B1-023；前导零会保留。"
            "同一项目内楼栋-单元-房号不能重复。"),
        Column('kind', "资源类型", type=SELECTION, selection=KINDS,
            aliases=["类型", "Kind"], help="留空时为住宅。"),
        Column('floor', "楼层", type=INTEGER, aliases=["Floor"]),
        Column('building_area', "建筑面积", type=DECIMAL, minimum=0,
            aliases=["Building Area"], help="单位：平方米。"),
        Column('inner_area', "套内面积", type=DECIMAL, minimum=0,
            aliases=["Inner Area"], help="单位：平方米；不能大于建筑面积。"),
        Column('layout', "户型", aliases=["Layout"],
            help="如 三室两厅。"),
        Column('orientation', "朝向", aliases=["Orientation"]),
        Column('status', "房屋状态", type=SELECTION, selection=STATUSES,
            aliases=["状态", "Status"],
            help="留空时：有交付日期为已交付，否则有业主为已售未交付，"
            "否则为未售。"),
        Column('handover_date', "交付日期", type=DATE,
            aliases=["交房日期", "Handover Date"],
            help="已交付、装修中的房屋必填；周期性费用从此日起计。"),
        Column('occupancy', "入住状态", type=SELECTION, selection=OCCUPANCIES,
            aliases=["Occupancy"], help="留空时为自住。"),
        Column('owner_name', "业主姓名", aliases=["业主", "Owner"],
            help="同一业主有多处资源（如住房和车位）时每行都填写，"
            "按证件号码或手机号加姓名识别为同一人。"),
        Column('owner_phone', "业主手机", aliases=["手机", "手机号",
                "联系电话", "Phone"],
            help="业主在业主端验证身份用的手机号。"),
        Column('id_type', "证件类型", type=SELECTION, selection=ID_TYPES,
            aliases=["ID Type"], help="填写了证件号码而留空时为身份证。"),
        Column('id_number', "证件号码", aliases=["身份证号", "身份证号码",
                "ID Number"],
            help="身份证号码会校验位数和校验码；请以文本格式填写。"),
        Column('share', "产权比例", type=DECIMAL, minimum=Decimal('0.01'),
            maximum=HUNDRED, aliases=["产权份额", "Share"],
            help="百分比，如 50 表示 50%；留空时为 100。"),
        Column('plates', "车牌号", aliases=["车牌", "Plates"],
            help="车位允许停放的车牌，多个用逗号分隔。"),
        Column('parking_type', "车位类型", type=SELECTION,
            selection=PARKING_TYPES, aliases=["Parking Type"]),
        Column('business_scope', "经营范围", aliases=["Business Scope"]),
        Column('lease_status', "租赁状态", type=SELECTION,
            selection=LEASE_STATUSES, aliases=["Lease Status"]),
        Column('rent_amount', "月租金", type=DECIMAL, minimum=0,
            aliases=["租金", "Monthly Rent"]),
        Column('ad_position', "广告位置", aliases=["Ad Position"]),
        Column('ad_size', "广告尺寸", aliases=["Ad Size"],
            help="如 3m × 2m。"),
        Column('note', "备注", aliases=["Note"]),
        ],
    aliases=["资源信息", "房产资源", "房屋", "Resources"],
    help="每行一个资源（住宅、商铺、广告位、地下室、车位）及其业主。")

OCCUPANT_SHEET = SheetSpec("住户", [
        Column('project', "项目编码", aliases=["项目", "Project"],
            help=_PROJECT_HELP),
        Column('room', "房号", required=True,
            aliases=["房屋编码", "资源编码", "Room"],
            help="完整房号：楼栋-单元-房号，如 2-1-0301；可以是本文件"
            "「资源」工作表中的房屋，也可以是系统中已有的房屋。"),
        Column('name', "姓名", required=True, aliases=["Name"]),
        Column('phone', "手机", aliases=["手机号", "联系电话", "Phone"]),
        Column('relation', "关系", type=SELECTION, selection=RELATIONS,
            required=True, aliases=["与业主关系", "Relation"]),
        Column('id_type', "证件类型", type=SELECTION, selection=ID_TYPES,
            aliases=["ID Type"], help="填写了证件号码而留空时为身份证。"),
        Column('id_number', "证件号码", aliases=["身份证号", "身份证号码",
                "ID Number"]),
        Column('start_date', "开始日期", type=DATE,
            aliases=["入住日期", "Start Date"]),
        Column('end_date', "结束日期", type=DATE, aliases=["End Date"]),
        Column('note', "备注", aliases=["Note"]),
        ],
    aliases=["业主家庭成员", "家庭成员", "住户信息", "Occupants"],
    help="可选：业主家庭成员和租户，每行一人一处房屋。")

SHEETS = [RESOURCE_SHEET, OCCUPANT_SHEET]
TEMPLATE_FILENAME = "资源导入模板.xlsx"


def template_examples(project_code=None):
    "Return the example rows of the template"
    return {
        RESOURCE_SHEET.name: [{
                'project': project_code, 'building': '2',
                'building_name': "2号楼", 'unit': '1', 'number': '0301',
                'kind': "住宅", 'floor': 3,
                'building_area': Decimal('125.50'),
                'inner_area': Decimal('100.40'), 'layout': "三室两厅",
                'orientation': "南北", 'status': "已交付",
                'handover_date': dt.date(2024, 5, 1), 'occupancy': "自住",
                'owner_name': "王建国", 'owner_phone': '13800138000',
                'id_type': "身份证", 'id_number': '11010519491231002X',
                'share': HUNDRED,
                }, {
                'project': project_code, 'number': 'B1-023',
                'kind': "车位", 'floor': -1,
                'building_area': Decimal('12.50'), 'status': "已交付",
                'handover_date': dt.date(2024, 5, 1), 'occupancy': "自住",
                'owner_name': "王建国", 'owner_phone': '13800138000',
                'id_type': "身份证", 'id_number': '11010519491231002X',
                'plates': "浙A12345", 'parking_type': "地下",
                }],
        OCCUPANT_SHEET.name: [{
                'project': project_code, 'room': '2-1-0301',
                'name': "李秀英", 'phone': '13900139000',
                'relation': "配偶", 'start_date': dt.date(2024, 5, 1),
                }],
        }


def write_template(project_code=None):
    return tabular.write_template(SHEETS, template_examples(project_code))
