// In-app messages (S6): where a message leads, by its topic
// (docs/owner-api.md, GET owner/messages).
export function messageLink(message) {
  if (message?.topic === 'notice' && message.notice_id) {
    return { to: `/notices/${message.notice_id}`, text: '查看公告' }
  }
  if (message?.topic === 'bills') return { to: '/bills', text: '去缴费' }
  return null
}
