import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'

vi.mock('../src/notify.js', () => ({ showError: vi.fn(), showOk: vi.fn(), alert: vi.fn(), confirm: vi.fn(async () => true) }))

import { List } from 'vant'
import { fakeFetch, mountPage, flushPromises } from './helpers.js'
import { BILLS } from './selection.spec.js'
import LoginPage from '../src/pages/LoginPage.vue'
import BillsPage from '../src/pages/BillsPage.vue'
import PayPage from '../src/pages/PayPage.vue'
import NoticesPage from '../src/pages/NoticesPage.vue'
import ReceiptsPage from '../src/pages/ReceiptsPage.vue'
import HomePage from '../src/pages/HomePage.vue'
import MePage from '../src/pages/MePage.vue'
import { waitForOrder, launch } from '../src/domains/payment/channels.js'

const TOKEN = 'cb04aa8a8d0f6142e2b0700e4bd235927d81b27698c20cd9d1dc151dc3f1babc'
const ORDER = { id: 12, out_trade_no: 'PAY000000012', state: 'pending', state_string: '待支付', channel: 'sandbox',
  amount: '411.70', receipt: null, receipt_id: null,
  bills: [{ id: 485, number: 'ZD10000485', amount: '205.85' }, { id: 486, number: 'ZD10000486', amount: '205.85' }] }

describe('owner pages', () => {
  beforeEach(() => {
    localStorage.clear()
    localStorage.setItem('aishang.owner.token', TOKEN)
    document.body.innerHTML = ''
  })
  afterEach(() => vi.useRealTimers())

  it('login: asks a code, counts down, shows the server error in Chinese, then signs in', async () => {
    localStorage.clear()
    const fetch = fakeFetch({
      'POST owner/sms/send': { sent: true, expires_in: 300, resend_after: 60 },
      'POST owner/verify/sms': (url, init, calls) => calls.filter((c) => c.path === 'owner/verify/sms').length === 1
        ? [400, { error: { code: 'code_wrong', message: '验证码错误，还可尝试 4 次。', attempts_left: 4 } }]
        : [200, { token: TOKEN, verified: true, owner: { id: 1, name: '王建国' }, linked_resources: [] }],
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper, router } = await mountPage(LoginPage, { path: '/login?redirect=/bills' })
    await wrapper.find('input[name="phone"]').setValue('13800000311')
    await wrapper.find('button.send').trigger('click')
    await flushPromises()
    expect(fetch.calls[0].body).toEqual({ phone: '13800000311' })
    expect(wrapper.find('button.send').text()).toBe('60 秒后重发')
    expect(wrapper.find('button.send').attributes('disabled')).toBeDefined()
    await wrapper.find('input[name="code"]').setValue('111111')
    await wrapper.find('button.verify').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('验证码错误，还可尝试 4 次。')
    await wrapper.find('input[name="code"]').setValue('482913')
    await wrapper.find('button.verify').trigger('click')
    await flushPromises()
    expect(localStorage.getItem('aishang.owner.token')).toBe(TOKEN)
    expect(router.currentRoute.value.fullPath).toBe('/bills')
    wrapper.unmount()
  })

  it('bills: a newer bill selects the older ones; the server checks and totals', async () => {
    const fetch = fakeFetch({
      'GET owner/bills': BILLS,
      'POST owner/bills/check': (url, init) => {
        const ids = JSON.parse(init.body).bill_ids
        return [200, { bills: ids.map((id) => ({ id })), total: ids.length === 2 ? '411.70' : '205.85', currency: 'CNY' }]
      },
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper, router } = await mountPage(BillsPage, { path: '/bills' })
    expect(wrapper.findAll('.bill')).toHaveLength(4)
    expect(wrapper.text()).toContain('物业费')
    expect(wrapper.text()).toContain('车位管理费')
    await wrapper.find('[data-bill="486"]').trigger('click')
    await flushPromises()
    const check = fetch.calls.find((c) => c.path === 'owner/bills/check')
    expect(check.body).toEqual({ bill_ids: [485, 486] })
    expect(wrapper.find('[data-test="total"]').text()).toBe('¥411.70')
    const checked = wrapper.findAll('.bill .van-checkbox__icon--checked')
    expect(checked).toHaveLength(2)
    await wrapper.find('.pay-bar .pay').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/pay?bills=485,486')
    wrapper.unmount()
  })

  it('bills: a refusal of the server is shown and blocks paying', async () => {
    vi.stubGlobal('fetch', fakeFetch({
      'GET owner/bills': BILLS,
      'POST owner/bills/check': [409, { error: { code: 'bill_not_payable', message: '账单“ZD10000488”已缴清。', bill_id: 488 } }],
    }))
    const { wrapper } = await mountPage(BillsPage, { path: '/bills' })
    await wrapper.find('[data-bill="488"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('.pay-bar [role="alert"]').text()).toBe('账单“ZD10000488”已缴清。')
    expect(wrapper.find('.pay-bar .pay').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('pay: sandbox order is created by the server, paid through its URL and polled until paid', async () => {
    let polls = 0
    const fetch = fakeFetch({
      'POST owner/bills/check': { bills: [{ id: 485, number: 'ZD10000485', balance: '205.85' }, { id: 486, number: 'ZD10000486', balance: '205.85' }], total: '411.70', currency: 'CNY' },
      'GET owner/payment-channels': { channels: [{ kind: 'sandbox', name: '模拟支付（演示）', project_ids: [358] }] },
      'POST owner/payments': { order: ORDER, parameters: { out_trade_no: 'PAY000000012', amount: '411.70', token: 't', pay_url: '/demo/aishang/pay/sandbox/PAY000000012/pay?token=t' }, reused: false },
      'POST /demo/aishang/pay/sandbox/PAY000000012/pay': { reply: { code: 'SUCCESS' }, order: { ...ORDER, state: 'paid' } },
      'GET owner/payments/12': () => {
        polls += 1
        return [200, polls < 2 ? ORDER : { ...ORDER, state: 'paid', state_string: '已支付', receipt: 'CH-0000154', receipt_id: 94 }]
      },
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper, router } = await mountPage(PayPage, { path: '/pay?bills=485,486' })
    expect(wrapper.find('[data-test="total"]').text()).toBe('¥411.70')
    expect(wrapper.text()).toContain('模拟支付（演示）')
    vi.useFakeTimers()
    await wrapper.find('button.confirm').trigger('click')
    for (let i = 0; i < 5; i++) {
      await flushPromises()
      await vi.advanceTimersByTimeAsync(2000)
    }
    vi.useRealTimers()
    await flushPromises()
    const create = fetch.calls.find((c) => c.path === 'owner/payments')
    expect(create.body).toEqual({ bill_ids: [485, 486], channel: 'sandbox' })
    const sandbox = fetch.calls.find((c) => c.url.startsWith('/demo/'))
    expect(sandbox.headers.Authorization).toBeUndefined()
    expect(router.currentRoute.value.query.order).toBe('12')
    expect(wrapper.find('[data-state]').attributes('data-state')).toBe('paid')
    expect(wrapper.text()).toContain('支付成功')
    expect(wrapper.text()).toContain('CH-0000154')
    wrapper.unmount()
  })

  it('notices: unread ones are marked', async () => {
    vi.stubGlobal('fetch', fakeFetch({
      'GET owner/notices': { notices: [
        { id: 212, title: '电梯保养', summary: '本周六电梯保养', pinned: true, publish_start: '2026-11-27T02:49:33Z', read: false },
        { id: 211, title: '停水通知', summary: '明天停水', pinned: false, publish_start: '2026-11-28T02:49:33Z', read: true },
      ], total_count: 2, unread_count: 1 },
    }))
    const { wrapper } = await mountPage(NoticesPage, { path: '/notices' })
    await flushPromises()
    expect(wrapper.find('[data-notice="212"]').classes()).toContain('unread')
    expect(wrapper.find('[data-notice="211"]').classes()).not.toContain('unread')
    expect(wrapper.text()).toContain('置顶')
    expect(wrapper.text()).toContain('公告（1 条未读）')
    wrapper.unmount()
  })

  it('receipts: newest first, paged with van-list; a failed page offers a retry', async () => {
    const RECEIPT = { id: 52, number: 'CH-0000052', date: '2026-11-28', total: '411.70', state: 'done', state_string: '已开具',
      resource: { id: 262, name: '翠湖花园 2-1-301' }, project: { id: 358, name: '翠湖花园' } }
    const first = Array.from({ length: 20 }, (_, i) => ({ ...RECEIPT, id: 100 - i, number: `CH-00001${i}` }))
    let down = true
    const fetch = fakeFetch({
      'GET owner/receipts': (url) => (url.includes('offset=0')
        ? [200, { receipts: first, total_count: 21 }]
        : down ? [500, { error: { code: 'internal', message: '服务器错误' } }] : [200, { receipts: [RECEIPT], total_count: 21 }]),
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await mountPage(ReceiptsPage, { path: '/receipts' })
    expect(fetch.calls[0].url).toBe('/aishang/api/v1/owner/receipts?limit=20&offset=0')
    expect(wrapper.findAll('.van-cell')).toHaveLength(20)
    wrapper.findComponent(List).vm.$emit('load')
    await flushPromises()
    expect(fetch.calls[1].url).toBe('/aishang/api/v1/owner/receipts?limit=20&offset=20')
    expect(wrapper.text()).toContain('加载失败，点击重试')
    down = false
    // the tap clears the error; van-list's own check then asks (jsdom has no layout: asked here)
    await wrapper.find('.van-list__error-text').trigger('click')
    expect(wrapper.text()).not.toContain('加载失败，点击重试')
    wrapper.findComponent(List).vm.$emit('load')
    await flushPromises()
    expect(fetch.calls[2].url).toBe('/aishang/api/v1/owner/receipts?limit=20&offset=20')
    const cells = wrapper.findAll('.van-cell')
    expect(cells).toHaveLength(21)
    expect(cells[20].text()).toContain('CH-0000052')
    expect(cells[20].text()).toContain('¥411.70')
    expect(cells[20].text()).toContain('2026-11-28 · 翠湖花园 2-1-301')
    expect(wrapper.text()).toContain('没有更多了')
    wrapper.unmount()
  })

  it('home: the amount due is the server total', async () => {
    vi.stubGlobal('fetch', fakeFetch({
      'GET owner/me': { verified: true, owner: { id: 1, name: '王建国' }, unread_notices: 0 },
      'GET owner/resources': { resources: [{ id: 262, name: '翠湖花园 2-1-301', kind_string: '住宅', project: { address: '杭州市' } }] },
      'GET owner/bills': BILLS,
      'GET owner/notices': { notices: [], total_count: 0, unread_count: 0 },
    }))
    const { wrapper } = await mountPage(HomePage)
    expect(wrapper.find('[data-test="due"]').text()).toBe('¥767.55')
    expect(wrapper.text()).toContain('翠湖花园 2-1-301')
    wrapper.unmount()
  })

  it('me: links to 报修 and 投诉建议; logout goes to the login page', async () => {
    const fetch = fakeFetch({ 'GET owner/me': { verified: true, owner: { name: '王建国' }, phone: '138****0311' }, 'POST owner/logout': { logged_out: true } })
    vi.stubGlobal('fetch', fetch)
    const { wrapper, router } = await mountPage(MePage, { path: '/me' })
    const cell = (title) => wrapper.findAll('.van-cell').find((c) => c.text() === title)
    // the pages behind are loaded lazily: wait for the navigation
    await cell('投诉建议').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/tickets?kind=complaint'))
    await router.push('/me')
    await cell('报修').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/tickets?kind=repair'))
    await wrapper.find('button.logout').trigger('click')
    await flushPromises()
    expect(fetch.calls.some((c) => c.path === 'owner/logout')).toBe(true)
    expect(localStorage.getItem('aishang.owner.token')).toBeNull()
    expect(router.currentRoute.value.name).toBe('login')
    wrapper.unmount()
  })
})

describe('payment channels', () => {
  it('polling stops when the order leaves pending, or at the timeout', async () => {
    const states = ['pending', 'pending', 'paid']
    const order = await waitForOrder(async () => ({ state: states.shift() }), { sleep: async () => {} })
    expect(order.state).toBe('paid')
    const late = await waitForOrder(async () => ({ state: 'pending' }), { timeout: 0, sleep: async () => {} })
    expect(late.state).toBe('pending')
  })

  it('alipay leaves for its URL; wechat is refused in H5', async () => {
    const navigate = vi.fn()
    expect(await launch('alipay', { url: 'https://openapi.alipay.com/gateway.do?x=1' }, { navigate })).toBe('redirect')
    expect(navigate).toHaveBeenCalledWith('https://openapi.alipay.com/gateway.do?x=1')
    await expect(launch('wechat', {})).rejects.toThrow('H5 不支持微信支付')
  })
})
