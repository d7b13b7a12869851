import { describe, it, expect, vi, beforeEach } from 'vitest'

vi.mock('../src/notify.js', () => ({ showError: vi.fn(), showOk: vi.fn(), alert: vi.fn(), confirm: vi.fn() }))

import * as api from '../src/api.js'
import { showError } from '../src/notify.js'
import { fakeFetch } from './helpers.js'

const TOKEN = 'cb04aa8a8d0f6142e2b0700e4bd235927d81b27698c20cd9d1dc151dc3f1babc'

describe('api module', () => {
  beforeEach(() => {
    localStorage.clear()
    vi.mocked(showError).mockClear()
    api.onUnauthorized(null)
  })

  it('owner logs in: the token is kept and sent as a Bearer header', async () => {
    const fetch = fakeFetch({
      'POST owner/verify/sms': { token: TOKEN, verified: true, owner: { id: 1, name: '王建国' }, linked_resources: [] },
      'GET owner/me': { verified: true },
    })
    vi.stubGlobal('fetch', fetch)
    await api.verifySms('13800000311', '482913')
    expect(api.getToken()).toBe(TOKEN)
    expect(fetch.calls[0].url).toBe('/aishang/api/v1/owner/verify/sms')
    expect(fetch.calls[0].body).toEqual({ phone: '13800000311', code: '482913' })
    expect(fetch.calls[0].headers['Content-Type']).toBe('application/json')
    await api.me()
    expect(fetch.calls[1].headers.Authorization).toBe(`Bearer ${TOKEN}`)
    expect(api.getOwner().name).toBe('王建国')
  })

  it('query parameters are encoded and empty ones dropped', async () => {
    const fetch = fakeFetch({ 'GET owner/bills': { resources: [] } })
    vi.stubGlobal('fetch', fetch)
    await api.bills({ state: 'open', resource: undefined, limit: 1 })
    expect(fetch.calls[0].url).toBe('/aishang/api/v1/owner/bills?state=open&limit=1')
  })

  it('a server error becomes an ApiError with its code and Chinese message, shown to the owner', async () => {
    vi.stubGlobal('fetch', fakeFetch({
      'POST owner/bills/check': [409, { error: { code: 'oldest_first', message: '须先缴纳更早的账单', bill_id: 486, older_bill_id: 485 } }],
    }))
    const error = await api.checkBills([486]).catch((e) => e)
    expect(error).toBeInstanceOf(api.ApiError)
    expect(error.status).toBe(409)
    expect(error.code).toBe('oldest_first')
    expect(error.message).toBe('须先缴纳更早的账单')
    expect(error.details).toEqual({ bill_id: 486, older_bill_id: 485 })
    expect(showError).toHaveBeenCalledWith(error)
  })

  it('notify: false leaves the message to the caller', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'POST owner/bills/check': [409, { error: { code: 'bill_not_payable', message: '已缴' } }] }))
    await expect(api.checkBills([1], { notify: false })).rejects.toThrow('已缴')
    expect(showError).not.toHaveBeenCalled()
  })

  it('429 carries Retry-After', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(
      JSON.stringify({ error: { code: 'rate_limited', message: '请求过于频繁' } }),
      { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '42' } })))
    const error = await api.sendSmsCode('13800000311').catch((e) => e)
    expect(error.code).toBe('rate_limited')
    expect(error.details.retry_after).toBe(42)
  })

  it('401 forgets the session and calls the login handler', async () => {
    localStorage.setItem('aishang.owner.token', TOKEN)
    const handler = vi.fn()
    api.onUnauthorized(handler)
    vi.stubGlobal('fetch', fakeFetch({ 'GET owner/me': [401, { error: { code: 'unauthorized', message: '请重新登录' } }] }))
    await expect(api.me()).rejects.toMatchObject({ status: 401, code: 'unauthorized' })
    expect(api.getToken()).toBeNull()
    expect(handler).toHaveBeenCalledTimes(1)
    expect(showError).not.toHaveBeenCalled()
  })

  it('a network failure and a non-JSON error answer get Chinese messages', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    await expect(api.me()).rejects.toMatchObject({ code: 'network', message: '网络连接失败，请检查网络后重试' })
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad Gateway</html>', { status: 502 })))
    await expect(api.me()).rejects.toMatchObject({ status: 502, code: 'http_502' })
    expect(showError).toHaveBeenCalledTimes(2)
  })

  it('the token is never sent to a URL outside the API', async () => {
    localStorage.setItem('aishang.owner.token', TOKEN)
    const fetch = fakeFetch({})
    fetch.mockImplementation(async () => new Response('{"reply":{"code":"SUCCESS"}}', { status: 200 }))
    vi.stubGlobal('fetch', fetch)
    await api.postUrl('/demo/aishang/pay/sandbox/PAY000000012/pay?token=abc')
    const [url, init] = fetch.mock.calls[0]
    expect(url).toBe('/demo/aishang/pay/sandbox/PAY000000012/pay?token=abc')
    expect(init.headers.Authorization).toBeUndefined()
  })

  it('logout forgets the session even when the server fails', async () => {
    localStorage.setItem('aishang.owner.token', TOKEN)
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('offline') }))
    await api.logout().catch(() => {})
    expect(api.getToken()).toBeNull()
  })

  it('amounts stay the server strings', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'POST owner/bills/check': { bills: [], total: '411.70', currency: 'CNY' } }))
    const result = await api.checkBills([485, 486])
    expect(result.total).toBe('411.70')
  })
})
