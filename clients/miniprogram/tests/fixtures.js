// Answers of the owner API, shaped as in docs/owner-api.md.
function bill(id, resourceId, feeItem, month, extra) {
  const mm = String(month).padStart(2, '0');
  return Object.assign({
    id,
    number: `ZD10000${id}`,
    resource_id: resourceId,
    fee_item: feeItem,
    period_start: `2026-${mm}-01`,
    period_end: `2026-${mm}-28`,
    due_date: `2026-${mm}-28`,
    amount: '205.85', late_fee: '0.00', discount: '0.00', paid: '0.00', balance: '205.85',
    state: 'open', state_string: '未缴', overdue: false, payable: true,
  }, extra || {});
}

const PROPERTY_FEE = { id: 181, name: '物业费' };
const PARKING_FEE = { id: 182, name: '车位管理费' };

// Resource 262: property fee Jan, Feb, Mar (485–487), parking Jan (488).
// Resource 263: property fee Jan, Feb (490, 491). A charge without resource (495).
function billsAnswer() {
  return {
    state: 'open',
    resources: [{
      resource: { id: 262, code: '2-1-301', name: '翠湖花园 2-1-301' },
      balance: '767.55',
      fee_items: [{
        fee_item: PROPERTY_FEE,
        balance: '617.55',
        // deliberately not sorted: the client must sort oldest first
        bills: [bill(486, 262, PROPERTY_FEE, 2), bill(485, 262, PROPERTY_FEE, 1, { overdue: true, late_fee: '3.09', balance: '208.94' }), bill(487, 262, PROPERTY_FEE, 3)],
      }, {
        fee_item: PARKING_FEE,
        balance: '150.00',
        bills: [bill(488, 262, PARKING_FEE, 1, { amount: '150.00', balance: '150.00' })],
      }],
    }, {
      resource: { id: 263, code: '2-1-302', name: '翠湖花园 2-1-302' },
      balance: '411.70',
      fee_items: [{
        fee_item: PROPERTY_FEE,
        balance: '411.70',
        bills: [bill(490, 263, PROPERTY_FEE, 1), bill(491, 263, PROPERTY_FEE, 2)],
      }],
    }, {
      resource: null,
      balance: '50.00',
      fee_items: [{
        fee_item: { id: 190, name: '临时费用' },
        balance: '50.00',
        bills: [bill(495, null, { id: 190, name: '临时费用' }, 4, { amount: '50.00', balance: '50.00' })],
      }],
    }],
    totals: { count: 7, amount: '1229.25', late_fee: '3.09', discount: '0.00', paid: '0.00', balance: '1232.34' },
    total_count: 7, limit: 200, offset: 0,
  };
}

const RESOURCE = {
  id: 262, code: '2-1-301', name: '翠湖花园 2-1-301', kind: 'residence', kind_string: '住宅',
  project: { id: 358, name: '翠湖花园', phone: '0571-88886666' }, building_area: '100.00', primary: true,
};

// A ticket of GET owner/tickets; `reported` minutes after 2026-11-28 00:00Z.
function ticket(id, extra) {
  return Object.assign({
    id,
    number: `GD${String(id).padStart(6, '0')}`,
    kind: 'repair', kind_string: '报事报修',
    title: '厨房水管漏水',
    state: 'pending', state_string: '待受理',
    category: { id: 3, name: '水电维修' },
    area: 'private',
    resource: { id: 262, name: '翠湖花园 2-1-301' },
    location: null,
    reported: new Date(Date.UTC(2026, 10, 28, 0, id)).toISOString().replace('.000Z', 'Z'),
    rating: null,
  }, extra || {});
}

// GET owner/tickets/{id}
function ticketDetail(extra, ticketExtra) {
  return Object.assign({
    ticket: ticket(7, ticketExtra),
    description: '厨房水管漏水，水槽下面一直滴水',
    place: '厨房',
    contact_phone: '13800138000',
    urgency: 'normal', urgency_string: '一般',
    appointment: null, appointment_state: null, appointment_state_string: null, appointment_by: null,
    technician: null,
    result: null,
    completed: null,
    rating_comment: null,
    messages: [
      { id: 1, author_kind: 'owner', author: '王建国', mine: true, body: '请尽快处理', date: '2026-11-28T01:00:00Z' },
      { id: 2, author_kind: 'service', author: '客服', mine: false, body: '已安排师傅', date: '2026-11-28T01:30:00Z' },
    ],
    photos: [{ id: 41, name: 'leak.jpg', stage: 'report', size: 48213, url: 'owner/tickets/7/photos/41' }],
    actions: ['message', 'photo', 'cancel'],
  }, extra || {});
}

// GET owner/locations of an owner in 翠湖花园 (358) and 江南苑 (400), in
// the server's order: projects, then buildings, then units, each by code
// as text (10号楼 before 2号楼). 10号楼 has no units.
const location = (id, kind, name, code, project, parent) => ({
  id, kind, name, code, project_id: project, parent_id: parent,
});
const LOCATIONS = {
  locations: [
    location(1074, 'project', '翠湖花园', 'CH', 358, null),
    location(2000, 'project', '江南苑', 'JN', 400, null),
    location(1380, 'building', '10号楼', '10', 358, 1074),
    location(1378, 'building', '2号楼', '2', 358, 1074),
    location(2001, 'building', '1幢', '1', 400, 2000),
    location(182, 'unit', '2单元', '2', 358, 1378),
    location(181, 'unit', '1单元', '1', 358, 1378),
  ],
};

module.exports = {
  bill, billsAnswer, PROPERTY_FEE, PARKING_FEE, RESOURCE, LOCATIONS, ticket, ticketDetail,
};
