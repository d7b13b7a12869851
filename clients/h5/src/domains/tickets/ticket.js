// Service tickets of the owner (O3 repairs, O4 complaints and suggestions).
// The server owns the rules, states and their labels; this module only
// shapes what the pages send and show.
import { fileSize } from '../../format.js'

// What an owner reports from the portal (inquiries go through customer service)
export const KINDS = [
  { value: 'repair', label: '报修', title: '我要报修' },
  { value: 'complaint', label: '投诉', title: '我要投诉' },
  { value: 'suggestion', label: '建议', title: '提出建议' },
]

export function kindOf(value) {
  return KINDS.some((k) => k.value === value) ? value : 'repair'
}

// Tabs of the list: `kind` of the route → `kind` of GET owner/tickets
export const TABS = [
  { name: 'all', title: '全部', kinds: undefined, empty: '暂无报修或投诉建议' },
  { name: 'repair', title: '报修', kinds: 'repair', empty: '暂无报修记录' },
  { name: 'complaint', title: '投诉建议', kinds: 'complaint,suggestion', empty: '暂无投诉建议记录' },
]

export function tabOf(kind) {
  return TABS.find((t) => t.name === kind) || TABS[0]
}

// Photos: the server checks them (PNG, JPEG or WebP by content, 5 MiB); the
// portal refuses early what would be refused anyway.
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024
export const PHOTO_MAX_COUNT = 4
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']

// The Chinese reason a file cannot be sent, or '' when it can
export function photoProblem(file) {
  // some web-views give camera shots no type: the server checks the bytes
  if (file.type && !PHOTO_TYPES.includes(file.type)) {
    return `“${file.name}”不是 JPG、PNG 或 WebP 格式的图片`
  }
  if (file.size > PHOTO_MAX_BYTES) {
    return `“${file.name}”有 ${fileSize(file.size)}，超过 5 MB 的上限，请换一张或压缩后再上传`
  }
  return ''
}

// Body of POST owner/tickets from the form of the new-ticket page.
// `projects`: the owner's projects; a public-area ticket names its location
// (building, unit…: it gives the project) or else its project, only when
// there are several. A location never goes with a resource (the server
// refuses it): the form keeps it while the owner switches to 户内 and back.
export function ticketBody(form, projects = []) {
  const body = { kind: form.kind, description: form.description.trim() }
  if (form.category) body.category = form.category
  if (form.area === 'private') {
    body.resource = form.resource
  } else if (form.location) {
    body.location = form.location
  } else if (projects.length > 1) {
    body.project = form.project
  }
  const place = form.place.trim()
  if (place) body.place = place
  const phone = form.contact_phone.trim()
  if (phone) body.contact_phone = phone
  return body
}

export const PHONE_PATTERN = /^[0-9+\- ]{5,20}$/

// "翠湖花园 2-1-301 · 厨房", "公共区域 · 2号楼电梯"
export function placeText(ticket, place = ticket.place) {
  const where = ticket.area === 'private'
    ? ticket.resource?.name || '户内'
    : `公共区域${ticket.location ? `（${ticket.location.name}）` : ''}`
  return place ? `${where} · ${place}` : where
}

// Display only: the colour of a state's tag
export function stateTagType(state) {
  if (state === 'pending' || state === 'reopened') return 'warning'
  if (state === 'cancelled') return 'default'
  if (['done', 'closed', 'visited'].includes(state)) return 'success'
  return 'primary'
}
