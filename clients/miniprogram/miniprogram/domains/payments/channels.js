// Whether a payment channel (`wechat` for the mini-program) takes the bills
// being paid, from GET owner/payment-channels: the channel must list the
// project of every bill. A bill's project is known here through its resource
// (GET owner/resources); for a bill whose project is not known (no resource,
// or one the owner no longer holds) the channel must be set up in at least
// one of the owner's projects. POST owner/payments stays the authority.

// resources of GET owner/resources → {resource id: project id}
function projectsByResource(resources) {
  const map = {};
  (resources || []).forEach((r) => {
    if (r.project) map[r.id] = r.project.id;
  });
  return map;
}

function offers(channels, kind, bills, resources) {
  const channel = (channels || []).find((c) => c.kind === kind);
  const projectIds = (channel && channel.project_ids) || [];
  if (!projectIds.length) return false;
  const projectOf = projectsByResource(resources);
  return (bills || []).every((bill) => {
    const project = projectOf[bill.resource_id];
    return project === undefined || projectIds.includes(project);
  });
}

module.exports = { projectsByResource, offers };
