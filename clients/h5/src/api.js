// The one module that talks to the owner API (docs/owner-api.md).
//
// * base URL /aishang/api/v1/ (same origin: trytond serves the portal);
// * the token of a login is kept in localStorage and sent as
//   "Authorization: Bearer <token>";
// * errors are {"error": {"code", "message", ...}}: they become an ApiError
//   whose message (already translated by the server) is shown in a toast
//   unless the caller passes { notify: false };
// * 401 forgets the token and goes back to the login page.
// Amounts are strings ("205.85") and stay strings: the client never does
// money arithmetic.
import { API_BASE } from './config.js'
import { showError } from './notify.js'

const TOKEN_KEY = 'aishang.owner.token'
const OWNER_KEY = 'aishang.owner'

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }
}

function storage() {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

export function getToken() {
  return storage()?.getItem(TOKEN_KEY) || null
}

export function setSession({ token, owner }) {
  storage()?.setItem(TOKEN_KEY, token)
  if (owner) storage()?.setItem(OWNER_KEY, JSON.stringify(owner))
}

export function getOwner() {
  try {
    return JSON.parse(storage()?.getItem(OWNER_KEY) || 'null')
  } catch {
    return null
  }
}

export function clearSession() {
  storage()?.removeItem(TOKEN_KEY)
  storage()?.removeItem(OWNER_KEY)
}

let unauthorizedHandler = null
// The router registers what a 401 does (back to the login page)
export function onUnauthorized(handler) {
  unauthorizedHandler = handler
}

function buildUrl(path, query, raw) {
  let url = raw ? path : API_BASE + path.replace(/^\//, '')
  if (query) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.append(key, String(value))
    }
    const text = params.toString()
    if (text) url += (url.includes('?') ? '&' : '?') + text
  }
  return url
}

async function send(method, path, { body, query, raw = false, notify = true, blob = false } = {}) {
  const headers = { Accept: blob ? '*/*' : 'application/json', 'Accept-Language': 'zh-CN' }
  const token = getToken()
  // the token goes to the API only, never to another URL (the sandbox pay URL)
  if (token && !raw) headers.Authorization = `Bearer ${token}`
  const init = { method, headers }
  if (body instanceof FormData) {
    // multipart: the browser sets Content-Type with its boundary
    init.body = body
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let response
  try {
    response = await fetch(buildUrl(path, query, raw), init)
  } catch {
    const error = new ApiError(0, 'network', '网络连接失败，请检查网络后重试')
    if (notify) showError(error)
    throw error
  }
  if (response.ok) {
    if (blob) return response.blob()
    const text = await response.text()
    return text ? JSON.parse(text) : {}
  }
  let data = null
  try {
    data = await response.json()
  } catch {
    data = null
  }
  const { code, message, ...details } = (data && data.error) || {}
  const retryAfter = response.headers?.get?.('Retry-After')
  if (retryAfter) details.retry_after = Number(retryAfter)
  const error = new ApiError(response.status, code || `http_${response.status}`,
    message || `服务暂时不可用（${response.status}），请稍后重试`, details)
  if (response.status === 401 && !raw) {
    clearSession()
    if (unauthorizedHandler) unauthorizedHandler(error)
  } else if (notify) {
    showError(error)
  }
  throw error
}

export const get = (path, options) => send('GET', path, options)
export const post = (path, body, options) => send('POST', path, { ...options, body })

// -- Login and verification (O1)
export const sendSmsCode = (phone) => post('owner/sms/send', { phone })
export async function verifySms(phone, code) {
  const result = await post('owner/verify/sms', { phone, code })
  setSession(result)
  return result
}
export async function logout() {
  try {
    await post('owner/logout', undefined, { notify: false })
  } finally {
    clearSession()
  }
}

// -- Owner
export const me = () => get('owner/me')
export const resources = () => get('owner/resources')

// -- Bills (O2)
export const bills = (query = { state: 'open' }) => get('owner/bills', { query })
export const bill = (id) => get(`owner/bills/${id}`)
export const checkBills = (billIds, options) => post('owner/bills/check', { bill_ids: billIds }, options)

// -- Payments (S1): the channel's part is in domains/payment/channels.js
export const createPayment = (billIds, channel) =>
  post('owner/payments', { bill_ids: billIds, channel })
export const payment = (orderId, options) => get(`owner/payments/${orderId}`, options)
// the channels the server takes, per project of the owner
export const paymentChannels = (options) => get('owner/payment-channels', options)

// -- Receipts (O6)
export const receipts = (query) => get('owner/receipts', { query })
export const receipt = (id) => get(`owner/receipts/${id}`)

// -- Notices (O5)
export const notices = (query) => get('owner/notices', { query })
export const notice = (id) => get(`owner/notices/${id}`)

// -- In-app messages (S6): reminders and pushed notices, newest first
export const messages = (query) => get('owner/messages', { query })
export const readMessage = (id) => post(`owner/messages/${id}/read`, {})
export const readAllMessages = () => post('owner/messages/read-all', {})

// -- Tickets (O3, O4): repairs, complaints, suggestions
export const ticketCategories = (kind, options) => get('owner/ticket-categories', { ...options, query: { kind } })
// the projects, buildings and units a public-area ticket can name (`location`)
export const ticketLocations = (options) => get('owner/locations', options)
export const createTicket = (body, options) => post('owner/tickets', body, options)
// kind: one kind or several separated by commas ("complaint,suggestion")
export const tickets = (query) => get('owner/tickets', { query })
export const ticket = (id) => get(`owner/tickets/${id}`)
export function addTicketPhoto(id, file, options) {
  const form = new FormData()
  form.append('photo', file, file.name)
  return post(`owner/tickets/${id}/photos`, form, options)
}
export const postTicketMessage = (id, body) => post(`owner/tickets/${id}/messages`, { body })
export const confirmTicketAppointment = (id) => post(`owner/tickets/${id}/appointment/confirm`, {})
export function rateTicket(id, rating, comment) {
  return post(`owner/tickets/${id}/rate`, comment ? { rating, comment } : { rating })
}
export const cancelTicket = (id, reason) => post(`owner/tickets/${id}/cancel`, { reason })

// A file of the API (receipt PDF, notice attachment, ticket photo) needs the
// token: it is fetched and handed to the browser as an object URL, which the
// caller revokes (URL.revokeObjectURL) once done with it.
export async function objectUrl(path, options) {
  const data = await send('GET', path, { ...options, blob: true })
  return URL.createObjectURL(data)
}

export async function download(path, filename) {
  const url = await objectUrl(path)
  const link = document.createElement('a')
  link.href = url
  if (filename) link.download = filename
  link.target = '_blank'
  link.rel = 'noopener'
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60000)
  return url
}

// A URL given by the server outside the API (the sandbox pay URL)
export const postUrl = (url, body, options) => send('POST', url, { ...options, body, raw: true })
