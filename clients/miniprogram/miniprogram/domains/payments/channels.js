// Whether a payment channel (`wechat` for the mini-program) takes the bills
// being paid, from GET owner/payment-channels: the channel must list the
// project of every bill (each bill says its project_id). POST owner/payments
// stays the authority.
function offers(channels, kind, bills) {
  const channel = (channels || []).find((c) => c.kind === kind);
  const projectIds = (channel && channel.project_ids) || [];
  if (!projectIds.length) return false;
  return (bills || []).every((bill) => projectIds.includes(bill.project_id));
}

module.exports = { offers };
