import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'

vi.mock('../src/notify.js', () => ({ showError: vi.fn(), showOk: vi.fn(), alert: vi.fn(), confirm: vi.fn(async () => true) }))

import { fakeFetch, mountPage, flushPromises } from './helpers.js'
import { payChannels } from '../src/config.js'
import { offeredChannels, billProjects } from '../src/domains/payment/channels.js'
import PayPage from '../src/pages/PayPage.vue'

const TOKEN = 'cb04aa8a8d0f6142e2b0700e4bd235927d81b27698c20cd9d1dc151dc3f1babc'
const CUIHU = { id: 358, name: '翠湖花园' }
const LANTING = { id: 359, name: '兰亭苑' }
const bill = (id, project, resourceId = null) => ({ id, number: `ZD10000${id}`, project_id: project.id,
  resource_id: resourceId, fee_item: { id: 181, name: '物业费' },
  period_start: '2026-01-01', period_end: '2026-01-31', balance: '205.85' })
const CHECK = { bills: [bill(485, CUIHU, 262), bill(486, CUIHU, 262)], total: '411.70', currency: 'CNY' }
// the company's channels: sandbox and alipay in both projects, unionpay only
// in 兰亭苑, wechat (the mini-program's) everywhere
const SERVER = { channels: [
  { kind: 'wechat', name: '微信支付', project_ids: [358, 359] },
  { kind: 'alipay', name: '支付宝（翠湖物业）', project_ids: [358, 359] },
  { kind: 'unionpay', name: '云闪付', project_ids: [359] },
  { kind: 'sandbox', name: '演示支付', project_ids: [358, 359] },
] }

const offered = (wrapper) => wrapper.findAll('[data-channel]').map((c) => [c.attributes('data-channel'), c.find('.van-cell__title').text()])

describe('pay page: channels of the server', () => {
  beforeEach(() => {
    localStorage.clear()
    localStorage.setItem('aishang.owner.token', TOKEN)
    document.body.innerHTML = ''
  })
  afterEach(() => vi.unstubAllGlobals())

  it('the build-time list is the default sandbox, alipay, unionpay', () => {
    expect(payChannels).toEqual(['sandbox', 'alipay', 'unionpay'])
  })

  it('offers the build-time channels the server takes in the project of the bills, with the server names', async () => {
    const fetch = fakeFetch({
      'POST owner/bills/check': CHECK,
      'GET owner/payment-channels': SERVER,
      'POST owner/payments': [409, { error: { code: 'payment_refused', message: '支付渠道暂不可用。' } }],
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await mountPage(PayPage, { path: '/pay?bills=485,486' })
    // not wechat (not an H5 channel), not unionpay (not in 翠湖花园); build-time order
    expect(offered(wrapper)).toEqual([['sandbox', '演示支付'], ['alipay', '支付宝（翠湖物业）']])
    expect(wrapper.text()).not.toContain('模拟支付（演示）')
    expect(wrapper.find('[data-channel="sandbox"] .van-radio__icon--checked').exists()).toBe(true)
    expect(wrapper.find('[data-test="no-channel"]').exists()).toBe(false)
    await wrapper.find('[data-channel="alipay"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-channel="alipay"] .van-radio__icon--checked').exists()).toBe(true)
    await wrapper.find('button.confirm').trigger('click')
    await flushPromises()
    const create = fetch.calls.find((c) => c.path === 'owner/payments')
    expect(create.body).toEqual({ bill_ids: [485, 486], channel: 'alipay' })
    wrapper.unmount()
  })

  it('bills of another project: the channels of that project', async () => {
    vi.stubGlobal('fetch', fakeFetch({
      'POST owner/bills/check': { bills: [bill(490, LANTING)], total: '50.00', currency: 'CNY' },
      'GET owner/payment-channels': SERVER,
    }))
    const { wrapper } = await mountPage(PayPage, { path: '/pay?bills=490' })
    expect(offered(wrapper)).toEqual([['sandbox', '演示支付'], ['alipay', '支付宝（翠湖物业）'], ['unionpay', '云闪付']])
    wrapper.unmount()
  })

  it('no channel left: a clear message and no pay button', async () => {
    vi.stubGlobal('fetch', fakeFetch({
      'POST owner/bills/check': CHECK,
      'GET owner/payment-channels': { channels: [SERVER.channels[0], SERVER.channels[2]] },
    }))
    const { wrapper } = await mountPage(PayPage, { path: '/pay?bills=485,486' })
    expect(wrapper.find('[data-test="total"]').text()).toBe('¥411.70')
    expect(wrapper.find('[data-test="no-channel"]').text()).toBe('本小区暂未开通在线支付，请到物业服务中心缴费')
    expect(wrapper.findAll('[data-channel]')).toHaveLength(0)
    expect(wrapper.find('button.confirm').exists()).toBe(false)
    wrapper.unmount()
  })

  it('online payment not activated (404): the same message', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'POST owner/bills/check': CHECK }))
    const { wrapper } = await mountPage(PayPage, { path: '/pay?bills=485,486' })
    expect(wrapper.find('[data-test="no-channel"]').text()).toBe('本小区暂未开通在线支付，请到物业服务中心缴费')
    expect(wrapper.find('button.confirm').exists()).toBe(false)
    wrapper.unmount()
  })

  it('channels that fail to load can be loaded again', async () => {
    let calls = 0
    vi.stubGlobal('fetch', fakeFetch({
      'POST owner/bills/check': CHECK,
      'GET owner/payment-channels': () => (++calls === 1 ? [503, { error: { code: 'unavailable', message: '服务暂时不可用' } }] : [200, SERVER]),
    }))
    const { wrapper } = await mountPage(PayPage, { path: '/pay?bills=485,486' })
    expect(wrapper.find('[data-test="channels-failed"]').text()).toContain('支付方式加载失败')
    expect(wrapper.find('button.confirm').exists()).toBe(false)
    await wrapper.find('[data-test="channels-failed"] button').trigger('click')
    await flushPromises()
    expect(offered(wrapper).map(([kind]) => kind)).toEqual(['sandbox', 'alipay'])
    expect(wrapper.find('button.confirm').exists()).toBe(true)
    wrapper.unmount()
  })
})

describe('offeredChannels and billProjects', () => {
  it('keeps the build-time channels the server takes in every project of the bills', () => {
    expect(offeredChannels(['alipay', 'unionpay'], SERVER.channels, [358, 359])).toEqual([{ kind: 'alipay', label: '支付宝（翠湖物业）' }])
    expect(offeredChannels(['alipay', 'unionpay'], SERVER.channels, [359]).map((c) => c.kind)).toEqual(['alipay', 'unionpay'])
    expect(offeredChannels(['unionpay'], SERVER.channels, [])).toEqual([{ kind: 'unionpay', label: '云闪付' }])
    expect(offeredChannels(['sandbox'], [], [])).toEqual([])
  })

  it('falls back to the client label when the server gives no name', () => {
    expect(offeredChannels(['unionpay'], [{ kind: 'unionpay', name: '', project_ids: [358] }], [358]))
      .toEqual([{ kind: 'unionpay', label: '银联云闪付' }])
  })

  it('the projects of bills, each once', () => {
    expect(billProjects([bill(1, CUIHU, 262), bill(2, LANTING, 301), bill(3, CUIHU)])).toEqual([358, 359])
    expect(billProjects([])).toEqual([])
  })
})
