import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'

vi.mock('../src/notify.js', () => ({ showError: vi.fn(), showOk: vi.fn(), alert: vi.fn(), confirm: vi.fn(async () => true) }))

import { fakeFetch, mountPage, flushPromises } from './helpers.js'
import { CUIHU_LOCATIONS, TWO_PROJECTS } from './fixtures.js'
import * as api from '../src/api.js'
import { alert, showError } from '../src/notify.js'
import { photoProblem, placeText, ticketBody } from '../src/domains/tickets/ticket.js'
import TicketsPage from '../src/pages/TicketsPage.vue'
import TicketNewPage from '../src/pages/TicketNewPage.vue'
import TicketPage from '../src/pages/TicketPage.vue'

const TOKEN = 'cb04aa8a8d0f6142e2b0700e4bd235927d81b27698c20cd9d1dc151dc3f1babc'
const CUIHU = { id: 358, name: '翠湖花园', address: '杭州市' }
const RESOURCES = { resources: [
  { id: 262, name: '翠湖花园 2-1-301', kind_string: '住宅', project: CUIHU },
  { id: 263, name: '翠湖花园 车位 B-12', kind_string: '车位', project: CUIHU },
] }
const CATEGORIES = { categories: [
  { id: 3, name: '水电维修', kind: 'repair', kind_string: '报事报修', description: null },
  { id: 4, name: '门窗维修', kind: 'repair', kind_string: '报事报修', description: '门锁、窗户' },
] }
const TICKET = {
  id: 7, number: 'BX0000007', kind: 'repair', kind_string: '报事报修', title: '厨房水管漏水',
  state: 'pending', state_string: '待受理', category: { id: 3, name: '水电维修' }, area: 'private',
  resource: { id: 262, name: '翠湖花园 2-1-301' }, location: null, place: '厨房', project: CUIHU,
  reported: '2026-11-28T01:30:00Z', rating: null,
}
const COMPLAINT = {
  ...TICKET, id: 8, number: 'TS0000008', kind: 'complaint', kind_string: '投诉', title: '电梯经常停运',
  state: 'closed', state_string: '已关单', category: null, area: 'public', resource: null, place: '3号楼电梯',
}
const DETAIL = {
  ticket: TICKET, description: '厨房水管漏水，楼下已渗水', place: '厨房', contact_phone: '13800000311',
  urgency: 'normal', urgency_string: '普通', appointment: null, appointment_state: null,
  appointment_state_string: null, appointment_by: null, technician: null, result: null, completed: null,
  rating_comment: null,
  messages: [
    { id: 1, author_kind: 'owner', author: '王建国', mine: true, body: '请尽快上门', date: '2026-11-28T01:31:00Z' },
    { id: 2, author_kind: 'service', author: '客服', mine: false, body: '已安排师傅', date: '2026-11-28T01:40:00Z' },
  ],
  photos: [{ id: 91, name: 'leak.jpg', stage: 'report', size: 20480, url: 'owner/tickets/7/photos/91' }],
  actions: ['message', 'photo', 'cancel'],
}

function image(name, size = 1024, type = 'image/jpeg') {
  const file = new File(['x'], name, { type })
  Object.defineProperty(file, 'size', { value: size })
  return file
}

async function pick(wrapper, ...files) {
  const input = wrapper.find('input[type="file"]')
  Object.defineProperty(input.element, 'files', { value: files, configurable: true })
  await input.trigger('change')
  await flushPromises()
}

const radio = (wrapper, text) => wrapper.findAll('[role="radio"]').find((r) => r.text() === text)
const button = (wrapper, text) => wrapper.findAll('button').find((b) => b.text() === text)
const posts = (fetch, path) => fetch.calls.filter((c) => c.method === 'POST' && c.path === path)
const gets = (fetch, path) => fetch.calls.filter((c) => c.method === 'GET' && c.path === path)
const XIXI_RESOURCE = { id: 301, name: '西溪里 5-101', kind_string: '住宅', project: { id: 359, name: '西溪里' } }

// The location cascader is in a popup teleported to <body>: tap the field,
// then options, each in the last tab that has it (several tabs stay in the DOM)
async function tapOption(text) {
  [...document.querySelectorAll('.van-cascader__option')].filter((o) => o.textContent === text).at(-1).click()
  await flushPromises()
}
async function chooseLocation(wrapper, ...texts) {
  await wrapper.find('input[name="location"]').trigger('click')
  await flushPromises()
  for (const text of texts) await tapOption(text)
}
const locationField = (wrapper) => wrapper.find('input[name="location"]')

describe('owner tickets', () => {
  beforeEach(() => {
    localStorage.clear()
    localStorage.setItem('aishang.owner.token', TOKEN)
    document.body.innerHTML = ''
    vi.mocked(alert).mockClear()
    vi.mocked(showError).mockClear()
    URL.createObjectURL = vi.fn(() => 'blob:photo')
    URL.revokeObjectURL = vi.fn()
  })
  afterEach(() => vi.unstubAllGlobals())

  describe('list', () => {
    it('shows my tickets newest first with their state labels; the tab picks the kinds', async () => {
      const fetch = fakeFetch({
        'GET owner/tickets': (url) => [200, url.includes('kind=repair')
          ? { tickets: [TICKET], total_count: 1 }
          : { tickets: [COMPLAINT], total_count: 1 }],
      })
      vi.stubGlobal('fetch', fetch)
      const { wrapper, router } = await mountPage(TicketsPage, { path: '/complaints' })
      expect(router.currentRoute.value.fullPath).toBe('/tickets?kind=complaint')
      expect(fetch.calls[0].url).toBe('/aishang/api/v1/owner/tickets?kind=complaint%2Csuggestion&limit=20&offset=0')
      const cell = wrapper.find('[data-ticket="8"]')
      expect(cell.text()).toContain('电梯经常停运')
      expect(cell.text()).toContain('已关单')
      expect(cell.text()).toContain('公共区域 · 3号楼电梯')
      expect(cell.text()).toContain('TS0000008 · 2026-11-28 09:30')
      expect(wrapper.find('.van-tab--active').text()).toBe('投诉建议')
      expect(wrapper.find('button.new').text()).toBe('我要投诉/建议')

      const repairTab = wrapper.findAll('.van-tab').find((t) => t.text() === '报修')
      await repairTab.trigger('click')
      await flushPromises()
      expect(fetch.calls[1].url).toBe('/aishang/api/v1/owner/tickets?kind=repair&limit=20&offset=0')
      expect(router.currentRoute.value.fullPath).toBe('/tickets?kind=repair')
      expect(wrapper.find('[data-ticket="8"]').exists()).toBe(false)
      expect(wrapper.find('[data-ticket="7"]').text()).toContain('待受理')
      expect(wrapper.find('[data-ticket="7"]').text()).toContain('翠湖花园 2-1-301 · 厨房')
      wrapper.unmount()
    })

    it('a page of the tab left meanwhile is dropped when it comes late', async () => {
      let answerComplaints
      const fetch = vi.fn((url) => {
        const json = (body) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
        if (url.includes('kind=repair')) return Promise.resolve(json({ tickets: [TICKET], total_count: 1 }))
        return new Promise((resolve) => { answerComplaints = () => resolve(json({ tickets: [COMPLAINT], total_count: 1 })) })
      })
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketsPage, { path: '/complaints' })
      await wrapper.findAll('.van-tab').find((t) => t.text() === '报修').trigger('click')
      await flushPromises()
      expect(wrapper.find('[data-ticket="7"]').exists()).toBe(true)
      answerComplaints()
      await flushPromises()
      expect(wrapper.findAll('[data-ticket]').map((t) => t.attributes('data-ticket'))).toEqual(['7'])
      expect(wrapper.find('.van-list__loading').exists()).toBe(false)
      wrapper.unmount()
    })

    it('an empty list says so', async () => {
      vi.stubGlobal('fetch', fakeFetch({ 'GET owner/tickets': { tickets: [], total_count: 0 } }))
      const { wrapper } = await mountPage(TicketsPage, { path: '/repairs' })
      expect(wrapper.find('.van-empty').text()).toContain('暂无报修记录')
      wrapper.unmount()
    })
  })

  describe('new ticket', () => {
    const table = (extra = {}) => ({
      'GET owner/resources': RESOURCES,
      'GET owner/locations': { locations: CUIHU_LOCATIONS },
      'GET owner/ticket-categories': (url) => [200, url.includes('kind=repair') ? CATEGORIES : { categories: [] }],
      'POST owner/tickets': { ticket: TICKET, actions: ['message', 'photo', 'cancel'] },
      'POST owner/tickets/7/photos': { photo: DETAIL.photos[0] },
      ...extra,
    })

    it('a missing description is refused inline, nothing is sent', async () => {
      const fetch = fakeFetch(table())
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=repair' })
      await wrapper.find('textarea[name="description"]').setValue('   ')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(wrapper.text()).toContain('请填写问题描述')
      expect(wrapper.text()).toContain('请选择房产')
      expect(posts(fetch, 'owner/tickets')).toHaveLength(0)
      wrapper.unmount()
    })

    it('a private repair sends its resource, category and phone, then uploads the photo and opens the ticket', async () => {
      const fetch = fakeFetch(table())
      vi.stubGlobal('fetch', fetch)
      const { wrapper, router } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=repair' })
      expect(fetch.calls.find((c) => c.path === 'owner/ticket-categories').url).toContain('kind=repair')
      expect(radio(wrapper, '户内').attributes('aria-checked')).toBe('true')
      await radio(wrapper, '翠湖花园 2-1-301').trigger('click')
      await wrapper.find('input[name="category"]').trigger('click')
      await wrapper.findAll('.van-action-sheet__item').find((i) => i.text().startsWith('水电维修')).trigger('click')
      await wrapper.find('input[name="place"]').setValue('厨房')
      await wrapper.find('textarea[name="description"]').setValue(' 厨房水管漏水 ')
      await wrapper.find('input[name="contact_phone"]').setValue('13800138000')
      await pick(wrapper, image('leak.jpg', 2 * 1024 * 1024))
      expect(wrapper.findAll('.van-uploader__preview')).toHaveLength(1)
      await wrapper.find('button.submit').trigger('click')
      await flushPromises()
      const [create] = posts(fetch, 'owner/tickets')
      expect(create.body).toEqual({ kind: 'repair', category: 3, resource: 262, place: '厨房',
        description: '厨房水管漏水', contact_phone: '13800138000' })
      const [upload] = posts(fetch, 'owner/tickets/7/photos')
      expect(fetch.calls.indexOf(upload)).toBeGreaterThan(fetch.calls.indexOf(create))
      expect(upload.body).toBeInstanceOf(FormData)
      expect(upload.body.get('photo').name).toBe('leak.jpg')
      expect(upload.headers['Content-Type']).toBeUndefined()
      expect(upload.headers.Authorization).toBe(`Bearer ${TOKEN}`)
      expect(router.currentRoute.value.fullPath).toBe('/tickets/7')
      expect(alert).not.toHaveBeenCalled()
      wrapper.unmount()
    })

    it('a public complaint sends no resource, and the project when the owner has several', async () => {
      const fetch = fakeFetch(table({
        'GET owner/resources': { resources: [...RESOURCES.resources, XIXI_RESOURCE] },
        'POST owner/tickets': { ticket: { ...COMPLAINT, id: 7 }, actions: ['message'] },
      }))
      vi.stubGlobal('fetch', fetch)
      const { wrapper, router } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=repair' })
      await radio(wrapper, '投诉').trigger('click')
      await flushPromises()
      expect(fetch.calls.filter((c) => c.path === 'owner/ticket-categories').at(-1).url).toContain('kind=complaint')
      expect(wrapper.find('input[name="category"]').exists()).toBe(false)
      await radio(wrapper, '公共区域').trigger('click')
      expect(radio(wrapper, '翠湖花园 2-1-301')).toBeUndefined()
      await wrapper.find('input[name="place"]').setValue('3号楼电梯')
      await wrapper.find('textarea[name="description"]').setValue('电梯经常停运')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(wrapper.text()).toContain('请选择小区')
      expect(posts(fetch, 'owner/tickets')).toHaveLength(0)
      await radio(wrapper, '西溪里').trigger('click')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets')[0].body).toEqual({ kind: 'complaint', project: 359, place: '3号楼电梯',
        description: '电梯经常停运' })
      expect(posts(fetch, 'owner/tickets/7/photos')).toHaveLength(0)
      expect(router.currentRoute.value.name).toBe('ticket')
      wrapper.unmount()
    })

    it('a file over 5 MB or not an image is refused before sending', async () => {
      const fetch = fakeFetch(table())
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=repair' })
      await pick(wrapper, image('big.jpg', 6 * 1024 * 1024))
      expect(wrapper.find('[role="alert"]').text()).toBe('“big.jpg”有 6 MB，超过 5 MB 的上限，请换一张或压缩后再上传')
      await pick(wrapper, image('bill.pdf', 1024, 'application/pdf'), image('ok.png', 1024, 'image/png'))
      expect(wrapper.find('[role="alert"]').text()).toBe('“bill.pdf”不是 JPG、PNG 或 WebP 格式的图片')
      expect(wrapper.findAll('.van-uploader__preview')).toHaveLength(1)
      await radio(wrapper, '翠湖花园 车位 B-12').trigger('click')
      await wrapper.find('textarea[name="description"]').setValue('车位地锁坏了')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      const uploads = posts(fetch, 'owner/tickets/7/photos')
      expect(uploads.map((u) => u.body.get('photo').name)).toEqual(['ok.png'])
      wrapper.unmount()
    })

    it('a failed photo is named and the owner still lands on the ticket', async () => {
      const fetch = fakeFetch(table({
        'POST owner/tickets/7/photos': [413, { error: { code: 'too_large', message: '文件过大，最大 5.0 MB。' } }],
      }))
      vi.stubGlobal('fetch', fetch)
      const { wrapper, router } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=repair' })
      await radio(wrapper, '翠湖花园 2-1-301').trigger('click')
      await wrapper.find('textarea[name="description"]').setValue('厨房水管漏水')
      await pick(wrapper, image('leak.jpg'))
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(router.currentRoute.value.fullPath).toBe('/tickets/7')
      expect(alert).toHaveBeenCalledTimes(1)
      expect(vi.mocked(alert).mock.calls[0][0]).toContain('第 1 张“leak.jpg”：文件过大，最大 5.0 MB。')
      wrapper.unmount()
    })

    it('a refusal of the server on a field is shown under it', async () => {
      const fetch = fakeFetch(table({
        'POST owner/tickets': [400, { error: { code: 'invalid_field', message: '“联系电话”格式不正确。', field: 'contact_phone' } }],
      }))
      vi.stubGlobal('fetch', fetch)
      const { wrapper, router } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=suggestion' })
      expect(radio(wrapper, '公共区域').attributes('aria-checked')).toBe('true')
      await wrapper.find('textarea[name="description"]').setValue('建议增加充电桩')
      await wrapper.find('input[name="contact_phone"]').setValue('0571-8888')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets')[0].body).toEqual({ kind: 'suggestion', description: '建议增加充电桩',
        contact_phone: '0571-8888' })
      expect(wrapper.find('.van-field__error-message').text()).toBe('“联系电话”格式不正确。')
      expect(router.currentRoute.value.name).toBe('ticket-new')
      wrapper.unmount()
    })

    it('public area: a building is picked in the cascader and sent as location, without resource', async () => {
      const fetch = fakeFetch(table())
      vi.stubGlobal('fetch', fetch)
      const { wrapper, router } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=repair' })
      await radio(wrapper, '翠湖花园 2-1-301').trigger('click')
      // read only once the public area is chosen
      expect(gets(fetch, 'owner/locations')).toHaveLength(0)
      expect(locationField(wrapper).exists()).toBe(false)
      await radio(wrapper, '公共区域').trigger('click')
      await flushPromises()
      expect(gets(fetch, 'owner/locations')).toHaveLength(1)
      expect(locationField(wrapper).attributes('placeholder')).toBe('请选择楼栋/单元（选填）')
      // one project: the cascader starts at its buildings
      await chooseLocation(wrapper, '2号楼')
      const tabs = [...document.querySelectorAll('.van-cascader__tab')].map((t) => t.textContent)
      expect(tabs).toEqual(['2号楼', '请选择'])
      expect([...document.querySelectorAll('.van-cascader__options')].at(-1).textContent).toBe('整栋1单元2单元')
      await tapOption('1单元')
      expect(locationField(wrapper).element.value).toBe('2号楼 / 1单元')
      // a building as a whole: its first option
      await chooseLocation(wrapper, '2号楼', '整栋')
      expect(locationField(wrapper).element.value).toBe('2号楼')
      await wrapper.find('input[name="place"]').setValue('电梯')
      await wrapper.find('textarea[name="description"]').setValue('电梯异响')
      await wrapper.find('button.submit').trigger('click')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets')[0].body).toEqual({ kind: 'repair', location: 1378, place: '电梯',
        description: '电梯异响' })
      expect(router.currentRoute.value.fullPath).toBe('/tickets/7')
      expect(gets(fetch, 'owner/locations')).toHaveLength(1)
      wrapper.unmount()
    })

    it('several projects: a location gives the project; without it the 小区 is asked again', async () => {
      const fetch = fakeFetch(table({
        'GET owner/resources': { resources: [...RESOURCES.resources, XIXI_RESOURCE] },
        'GET owner/locations': { locations: TWO_PROJECTS },
      }))
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=complaint' })
      expect(radio(wrapper, '西溪里')).toBeDefined()
      await chooseLocation(wrapper, '西溪里', '5号楼')
      expect(locationField(wrapper).element.value).toBe('西溪里 / 5号楼')
      expect(radio(wrapper, '西溪里')).toBeUndefined()
      // reopened, the cascader shows the choice; 不指定位置 drops it
      await chooseLocation(wrapper)
      expect([...document.querySelectorAll('.van-cascader__tab')].map((t) => t.textContent)).toEqual(['西溪里', '5号楼'])
      ;[...document.querySelectorAll('.location-popup button')].find((b) => b.textContent === '不指定位置').click()
      await flushPromises()
      expect(locationField(wrapper).element.value).toBe('')
      expect(radio(wrapper, '西溪里').attributes('aria-checked')).toBe('true')
      await chooseLocation(wrapper, '翠湖花园', '整个小区')
      expect(locationField(wrapper).element.value).toBe('翠湖花园')
      await wrapper.find('textarea[name="description"]').setValue('绿化带无人打理')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets')[0].body).toEqual({ kind: 'complaint', location: 1074,
        description: '绿化带无人打理' })
      wrapper.unmount()
    })

    it('locations that fail to load: the field offers a retry and the ticket goes without', async () => {
      let fail = true
      const fetch = fakeFetch(table({
        'GET owner/locations': () => (fail ? [500, { error: { code: 'server', message: '服务器错误' } }]
          : [200, { locations: CUIHU_LOCATIONS }]),
      }))
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=suggestion' })
      expect(locationField(wrapper).attributes('placeholder')).toBe('位置加载失败，点击重试')
      expect(locationField(wrapper).classes()).toContain('van-field__control--error')
      expect(showError).not.toHaveBeenCalled()
      await wrapper.find('textarea[name="description"]').setValue('建议增加充电桩')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets')[0].body).toEqual({ kind: 'suggestion', description: '建议增加充电桩' })
      fail = false
      await chooseLocation(wrapper, '3号楼')
      expect(gets(fetch, 'owner/locations')).toHaveLength(2)
      expect(locationField(wrapper).element.value).toBe('3号楼')
      wrapper.unmount()
    })

    it('a refusal of the location is shown under the field', async () => {
      const fetch = fakeFetch(table({
        'POST owner/tickets': [400, { error: { code: 'invalid_field', message: '“位置”不存在。', field: 'location' } }],
      }))
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketNewPage, { path: '/tickets/new?kind=complaint' })
      await chooseLocation(wrapper, '3号楼')
      await wrapper.find('textarea[name="description"]').setValue('楼道堆物')
      await wrapper.find('form').trigger('submit')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets')[0].body.location).toBe(1379)
      const field = wrapper.findAll('.van-field').find((f) => f.find('input[name="location"]').exists())
      expect(field.find('.van-field__error-message').text()).toBe('“位置”不存在。')
      expect(showError).not.toHaveBeenCalled()
      wrapper.unmount()
    })
  })

  describe('detail', () => {
    function detailFetch(detail, extra = {}) {
      return fakeFetch({
        'GET owner/tickets/7': () => [200, typeof detail === 'function' ? detail() : detail],
        'GET owner/tickets/7/photos/91': () => new Response('JPEG', { status: 200, headers: { 'Content-Type': 'image/jpeg' } }),
        ...extra,
      })
    }

    it('shows the ticket, its thread and photo; a pending ticket offers reply and cancel only', async () => {
      const fetch = detailFetch(DETAIL)
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketPage, { path: '/tickets/7', props: { id: '7' } })
      const text = wrapper.text()
      for (const shown of ['BX0000007', '报事报修', '待受理', '水电维修', '翠湖花园 2-1-301 · 厨房',
        '2026-11-28 09:30', '普通', '厨房水管漏水，楼下已渗水']) {
        expect(text).toContain(shown)
      }
      const [mine, service] = wrapper.findAll('.message')
      expect(mine.classes()).toContain('mine')
      expect(mine.text()).toContain('请尽快上门')
      expect(service.classes()).not.toContain('mine')
      expect(service.text()).toContain('客服')
      const photo = fetch.calls.find((c) => c.path === 'owner/tickets/7/photos/91')
      expect(photo.headers.Authorization).toBe(`Bearer ${TOKEN}`)
      expect(wrapper.find('[data-photo="91"] img').attributes('src')).toBe('blob:photo')
      expect(wrapper.find('textarea[name="message"]').exists()).toBe(true)
      expect(button(wrapper, '撤销工单')).toBeDefined()
      expect(button(wrapper, '确认预约时间')).toBeUndefined()
      expect(button(wrapper, '提交评价')).toBeUndefined()
      expect(wrapper.find('input[type="file"]').exists()).toBe(true)
      wrapper.unmount()
    })

    it('a proposed visit time is confirmed; without actions nothing is offered', async () => {
      let confirmed = false
      const fetch = detailFetch(() => confirmed
        ? { ...DETAIL, appointment: '2026-11-29T01:00:00Z', appointment_state: 'confirmed', appointment_state_string: '已确认', actions: [] }
        : { ...DETAIL, technician: '李师傅', appointment: '2026-11-29T01:00:00Z', appointment_state: 'proposed',
            appointment_state_string: '待确认', appointment_by: 'technician', actions: ['message', 'appointment_confirm'] },
      { 'POST owner/tickets/7/appointment/confirm': () => { confirmed = true; return [200, { ticket: TICKET, actions: [] }] } })
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketPage, { path: '/tickets/7', props: { id: '7' } })
      expect(wrapper.find('.appointment').text()).toContain('2026-11-29 09:00')
      expect(wrapper.find('.appointment').text()).toContain('待确认')
      expect(wrapper.text()).toContain('李师傅')
      expect(button(wrapper, '撤销工单')).toBeUndefined()
      await button(wrapper, '确认预约时间').trigger('click')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets/7/appointment/confirm')[0].body).toEqual({})
      expect(wrapper.find('.appointment').text()).toContain('已确认')
      expect(button(wrapper, '确认预约时间')).toBeUndefined()
      expect(wrapper.find('textarea[name="message"]').exists()).toBe(false)
      expect(wrapper.find('input[type="file"]').exists()).toBe(false)
      wrapper.unmount()
    })

    it('a reply is posted and the thread read again', async () => {
      const messages = [...DETAIL.messages]
      const fetch = detailFetch(() => ({ ...DETAIL, messages: [...messages] }), {
        'POST owner/tickets/7/messages': (url, init) => {
          const message = { id: 3, author_kind: 'owner', author: '王建国', mine: true, body: JSON.parse(init.body).body, date: '2026-11-28T02:00:00Z' }
          messages.push(message)
          return [200, { message }]
        },
      })
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketPage, { path: '/tickets/7', props: { id: '7' } })
      await button(wrapper, '发送').trigger('click')
      expect(wrapper.text()).toContain('请输入留言内容')
      expect(posts(fetch, 'owner/tickets/7/messages')).toHaveLength(0)
      await wrapper.find('textarea[name="message"]').setValue('明早九点后在家')
      await button(wrapper, '发送').trigger('click')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets/7/messages')[0].body).toEqual({ body: '明早九点后在家' })
      expect(wrapper.findAll('.message')).toHaveLength(3)
      expect(wrapper.findAll('.message').at(-1).classes()).toContain('mine')
      expect(wrapper.find('textarea[name="message"]').element.value).toBe('')
      wrapper.unmount()
    })

    it('a closed ticket is rated with stars and a comment', async () => {
      let rated = false
      const fetch = detailFetch(() => rated
        ? { ...DETAIL, ticket: { ...TICKET, state: 'visited', state_string: '已回访', rating: 4 }, result: '已更换水管',
            rating_comment: '师傅很专业', actions: ['message'] }
        : { ...DETAIL, ticket: { ...TICKET, state: 'closed', state_string: '已关单' }, result: '已更换水管',
            actions: ['message', 'rate'] },
      { 'POST owner/tickets/7/rate': () => { rated = true; return [200, { ticket: TICKET, actions: ['message'] }] } })
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketPage, { path: '/tickets/7', props: { id: '7' } })
      expect(wrapper.find('[data-test="result"]').text()).toBe('已更换水管')
      expect(button(wrapper, '撤销工单')).toBeUndefined()
      await button(wrapper, '提交评价').trigger('click')
      expect(wrapper.text()).toContain('请选择评分')
      expect(posts(fetch, 'owner/tickets/7/rate')).toHaveLength(0)
      await wrapper.findAll('.rating .van-rate__item')[3].trigger('click')
      await wrapper.find('textarea[name="rating_comment"]').setValue(' 师傅很专业 ')
      await button(wrapper, '提交评价').trigger('click')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets/7/rate')[0].body).toEqual({ rating: 4, comment: '师傅很专业' })
      expect(fetch.calls.filter((c) => c.method === 'GET' && c.path === 'owner/tickets/7')).toHaveLength(2)
      expect(wrapper.text()).toContain('已回访')
      expect(wrapper.text()).toContain('我的评价')
      expect(button(wrapper, '提交评价')).toBeUndefined()
      wrapper.unmount()
    })

    it('cancelling asks a reason', async () => {
      let cancelled = false
      const fetch = detailFetch(() => cancelled
        ? { ...DETAIL, ticket: { ...TICKET, state: 'cancelled', state_string: '已取消' }, actions: ['message'] }
        : DETAIL,
      { 'POST owner/tickets/7/cancel': () => { cancelled = true; return [200, { ticket: TICKET, actions: ['message'] }] } })
      vi.stubGlobal('fetch', fetch)
      const { wrapper } = await mountPage(TicketPage, { path: '/tickets/7', props: { id: '7' } })
      await button(wrapper, '撤销工单').trigger('click')
      await flushPromises()
      await button(wrapper, '确认撤销').trigger('click')
      await flushPromises()
      expect(wrapper.text()).toContain('请填写撤销原因')
      expect(posts(fetch, 'owner/tickets/7/cancel')).toHaveLength(0)
      await wrapper.find('textarea[name="cancel_reason"]').setValue('已自行解决')
      await button(wrapper, '确认撤销').trigger('click')
      await flushPromises()
      expect(posts(fetch, 'owner/tickets/7/cancel')[0].body).toEqual({ reason: '已自行解决' })
      expect(wrapper.find('.head').text()).toContain('已取消')
      expect(button(wrapper, '撤销工单')).toBeUndefined()
      wrapper.unmount()
    })
  })

  describe('ticket rules of the portal', () => {
    it('the JSON body keeps only what the owner chose', () => {
      const form = { kind: 'repair', category: null, area: 'public', resource: 262, project: 358, place: ' ',
        description: '路灯不亮\n', contact_phone: '' }
      expect(ticketBody(form, [{ id: 358 }])).toEqual({ kind: 'repair', description: '路灯不亮' })
      // a location goes in the public area only, and gives the project
      const located = { ...form, location: 1378 }
      expect(ticketBody(located, [{ id: 358 }, { id: 359 }])).toEqual({ kind: 'repair', location: 1378,
        description: '路灯不亮' })
      expect(ticketBody({ ...located, area: 'private' })).toEqual({ kind: 'repair', resource: 262,
        description: '路灯不亮' })
    })

    it('photos: images up to 5 MB; a file without type is left to the server', () => {
      expect(photoProblem(image('a.jpg', 5 * 1024 * 1024))).toBe('')
      expect(photoProblem(image('a.jpg', 5 * 1024 * 1024 + 1))).toContain('超过 5 MB')
      expect(photoProblem(image('a.heic', 1024, 'image/heic'))).toContain('不是 JPG、PNG 或 WebP')
      expect(photoProblem(image('camera', 1024, ''))).toBe('')
    })

    it('place: the resource, or the public area and its location', () => {
      expect(placeText({ area: 'public', location: { name: '2号楼' }, place: '电梯' })).toBe('公共区域（2号楼） · 电梯')
      expect(placeText({ area: 'private', resource: { name: '翠湖花园 2-1-301' }, place: null })).toBe('翠湖花园 2-1-301')
    })

    it('api: the photo goes as multipart without a Content-Type of ours', async () => {
      const fetch = fakeFetch({ 'POST owner/tickets/7/photos': { photo: { id: 92 } } })
      vi.stubGlobal('fetch', fetch)
      const answer = await api.addTicketPhoto(7, image('leak.jpg'))
      expect(answer.photo.id).toBe(92)
      const [url, init] = fetch.mock.calls[0]
      expect(url).toBe('/aishang/api/v1/owner/tickets/7/photos')
      expect(init.body).toBeInstanceOf(FormData)
      expect(init.headers['Content-Type']).toBeUndefined()
    })
  })
})
