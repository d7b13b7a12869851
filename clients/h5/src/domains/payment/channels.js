// Everything specific to a payment channel, in one place (docs/payments.md).
// The server creates the order and its amount (POST owner/payments); a
// channel only gets the owner to pay it. Then the page polls the order.
import { postUrl } from '../../api.js'

export const CHANNEL_LABELS = {
  sandbox: '模拟支付（演示）',
  alipay: '支付宝',
  unionpay: '银联云闪付',
  wechat: '微信支付',
}

export function channelLabel(channel) {
  return CHANNEL_LABELS[channel] || channel
}

function postForm(action, fields) {
  const form = document.createElement('form')
  form.method = 'POST'
  form.action = action
  for (const [name, value] of Object.entries(fields || {})) {
    const input = document.createElement('input')
    input.type = 'hidden'
    input.name = name
    input.value = value
    form.appendChild(input)
  }
  document.body.appendChild(form)
  form.submit()
}

// Hand the order to its channel. Answers 'poll' when the page should
// poll the order now, 'redirect' when the browser leaves for the channel.
export async function launch(channel, parameters, { navigate = (url) => window.location.assign(url) } = {}) {
  switch (channel) {
    case 'sandbox':
      // the demo's "pay" button: the server signs and processes a notice
      await postUrl(parameters.pay_url)
      return 'poll'
    case 'alipay':
      navigate(parameters.url)
      return 'redirect'
    case 'unionpay':
      postForm(parameters.action || parameters.url, parameters.fields)
      return 'redirect'
    default:
      // wechat: wx.requestPayment exists only in the mini-program
      throw new Error(`H5 不支持${channelLabel(channel)}`)
  }
}

// Poll until the order leaves `pending`; resolves with the last order.
export async function waitForOrder(fetchOrder, { interval = 1500, timeout = 120000, sleep } = {}) {
  const wait = sleep || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  const start = Date.now()
  for (;;) {
    const order = await fetchOrder()
    if (order.state !== 'pending') return order
    if (Date.now() - start >= timeout) return order
    await wait(interval)
  }
}

// The projects of the bills being paid (each bill says its project_id)
export function billProjects(bills) {
  return [...new Set((bills || []).map((b) => b.project_id).filter(Boolean))]
}

// The channels to offer: those of the build-time list (VITE_PAY_CHANNELS,
// the ones this client can launch) that the server takes
// (GET owner/payment-channels) in every project of the bills; with no
// project known, in any of the owner's projects. Build-time order; the
// label is the server's name of the channel, else ours.
export function offeredChannels(kinds, serverChannels, projectIds = []) {
  const byKind = new Map((serverChannels || []).map((c) => [c.kind, c]))
  const offered = []
  for (const kind of kinds) {
    const server = byKind.get(kind)
    if (!server) continue
    const projects = server.project_ids || []
    if (!projectIds.every((id) => projects.includes(id))) continue
    offered.push({ kind, label: server.name || channelLabel(kind) })
  }
  return offered
}
