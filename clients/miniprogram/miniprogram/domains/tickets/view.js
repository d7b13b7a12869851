// What the ticket pages show, shaped from the server's answers: labels,
// states and texts are the server's; dates are shown in Beijing time.
const { localDate } = require('../../utils/format');

// van-tag type per state (colour only; the label is state_string)
const STATE_TAGS = {
  pending: 'warning',
  reopened: 'danger',
  done: 'success',
  closed: 'success',
  visited: 'success',
  cancelled: 'default',
};

// 户内 · 翠湖花园 2-1-301 · 厨房, or 公共区域 · 2号楼 · 电梯间
function where(ticket, place) {
  const parts = ticket.area === 'private'
    ? ['户内', ticket.resource && ticket.resource.name]
    : ['公共区域', ticket.location && ticket.location.name];
  parts.push(place);
  return parts.filter(Boolean).join(' · ');
}

function summary(ticket) {
  return Object.assign({}, ticket, {
    tag: STATE_TAGS[ticket.state] || 'primary',
    where: where(ticket),
    date: localDate(ticket.reported),
    category_name: ticket.category ? ticket.category.name : '',
  });
}

// GET owner/tickets/{id} → page data. `can` holds the owner's actions now.
function detail(answer) {
  const actions = answer.actions || [];
  return {
    ticket: summary(answer.ticket),
    where: where(answer.ticket, answer.place),
    description: answer.description || '',
    contactPhone: answer.contact_phone || '',
    urgency: answer.urgency_string || '',
    technician: answer.technician || '',
    appointment: answer.appointment ? localDate(answer.appointment) : '',
    appointmentState: answer.appointment_state_string || '',
    result: answer.result || '',
    completed: localDate(answer.completed),
    rating: answer.ticket.rating || 0,
    ratingComment: answer.rating_comment || '',
    messages: (answer.messages || []).map((m) => Object.assign({}, m, { date: localDate(m.date) })),
    can: {
      message: actions.includes('message'),
      photo: actions.includes('photo'),
      confirm: actions.includes('appointment_confirm'),
      rate: actions.includes('rate'),
      cancel: actions.includes('cancel'),
    },
  };
}

module.exports = { STATE_TAGS, where, summary, detail };
