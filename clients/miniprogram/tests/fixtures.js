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

module.exports = { bill, billsAnswer, PROPERTY_FEE, PARKING_FEE };
