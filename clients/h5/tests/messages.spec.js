import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'

vi.mock('../src/notify.js', () => ({ showError: vi.fn(), showOk: vi.fn(), alert: vi.fn(), confirm: vi.fn(async () => true) }))

import { List } from 'vant'
import { fakeFetch, mountPage, flushPromises } from './helpers.js'
import { messageLink } from '../src/domains/messages/message.js'
import MessagesPage from '../src/pages/MessagesPage.vue'
import MePage from '../src/pages/MePage.vue'
import HomePage from '../src/pages/HomePage.vue'

const TOKEN = 'cb04aa8a8d0f6142e2b0700e4bd235927d81b27698c20cd9d1dc151dc3f1babc'
const REMINDER = { id: 9012, subject: '物业费缴费提醒', body: '您有 3 笔物业费共 617.55 元未缴，请及时缴纳。\n如已缴纳请忽略。',
  date: '2026-11-28T01:00:00Z', read: false, topic: 'bills', notice_id: null }
const NOTICE = { id: 9007, subject: '停水通知', body: '明天 9:00-12:00 停水', date: '2026-11-27T08:00:00Z', read: true,
  topic: 'notice', notice_id: 211 }
const PLAIN = { id: 9003, subject: '欢迎使用爱尚物业', body: '您已完成认证', date: '2026-11-20T08:00:00Z', read: false,
  topic: null, notice_id: null }

const posts = (fetch) => fetch.calls.filter((c) => c.method === 'POST')
const item = (wrapper, id) => wrapper.find(`[data-message="${id}"]`)

describe('in-app messages', () => {
  beforeEach(() => {
    localStorage.clear()
    localStorage.setItem('aishang.owner.token', TOKEN)
    document.body.innerHTML = ''
  })
  afterEach(() => vi.unstubAllGlobals())

  it('lists the messages newest first and marks the unread ones', async () => {
    const fetch = fakeFetch({ 'GET owner/messages': { messages: [REMINDER, NOTICE, PLAIN], total_count: 3, unread_count: 2 } })
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await mountPage(MessagesPage, { path: '/messages' })
    expect(fetch.calls[0].url).toBe('/aishang/api/v1/owner/messages?limit=20&offset=0')
    expect(wrapper.findAll('[data-message]').map((m) => m.attributes('data-message'))).toEqual(['9012', '9007', '9003'])
    expect(item(wrapper, 9012).classes()).toContain('unread')
    expect(item(wrapper, 9012).find('.dot').exists()).toBe(true)
    expect(item(wrapper, 9012).attributes('data-read')).toBe('false')
    expect(item(wrapper, 9007).classes()).not.toContain('unread')
    expect(item(wrapper, 9007).find('.dot').exists()).toBe(false)
    expect(wrapper.find('.van-nav-bar__title').text()).toBe('消息（2 条未读）')
    expect(wrapper.find('[data-test="read-all"]').text()).toBe('全部已读')
    // Beijing time
    expect(item(wrapper, 9012).text()).toContain('2026-11-28 09:00')
    expect(wrapper.find('[data-test="message-body"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('tapping an unread message posts {} to its read URL, shows its text and the bills link', async () => {
    const fetch = fakeFetch({
      'GET owner/messages': { messages: [REMINDER, NOTICE], total_count: 2, unread_count: 1 },
      'POST owner/messages/9012/read': { message: { ...REMINDER, read: true } },
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper, router } = await mountPage(MessagesPage, { path: '/messages' })
    await item(wrapper, 9012).find('.head').trigger('click')
    await flushPromises()
    expect(posts(fetch)).toHaveLength(1)
    expect(posts(fetch)[0].url).toBe('/aishang/api/v1/owner/messages/9012/read')
    expect(posts(fetch)[0].body).toEqual({})
    expect(item(wrapper, 9012).classes()).not.toContain('unread')
    expect(item(wrapper, 9012).find('.dot').exists()).toBe(false)
    expect(item(wrapper, 9012).find('[data-test="message-body"]').text()).toContain('如已缴纳请忽略。')
    expect(wrapper.find('.van-nav-bar__title').text()).toBe('消息')
    expect(wrapper.find('[data-test="read-all"]').exists()).toBe(false)
    const link = item(wrapper, 9012).find('[data-test="message-link"]')
    expect(link.text()).toBe('去缴费')
    await link.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/bills'))
    wrapper.unmount()
  })

  it('a read message is not posted again; a notice message links to its notice', async () => {
    const fetch = fakeFetch({ 'GET owner/messages': { messages: [REMINDER, NOTICE, PLAIN], total_count: 3, unread_count: 2 } })
    vi.stubGlobal('fetch', fetch)
    const { wrapper, router } = await mountPage(MessagesPage, { path: '/messages' })
    await item(wrapper, 9007).find('.head').trigger('click')
    await flushPromises()
    expect(posts(fetch)).toHaveLength(0)
    expect(wrapper.find('.van-nav-bar__title').text()).toBe('消息（2 条未读）')
    const link = item(wrapper, 9007).find('[data-test="message-link"]')
    expect(link.text()).toBe('查看公告')
    await link.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/notices/211'))
    wrapper.unmount()
  })

  it('one message open at a time; a message without topic has no link', async () => {
    vi.stubGlobal('fetch', fakeFetch({
      'GET owner/messages': { messages: [NOTICE, PLAIN], total_count: 2, unread_count: 1 },
      'POST owner/messages/9003/read': { message: { ...PLAIN, read: true } },
    }))
    const { wrapper } = await mountPage(MessagesPage, { path: '/messages' })
    await item(wrapper, 9007).find('.head').trigger('click')
    await item(wrapper, 9003).find('.head').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-test="message-body"]')).toHaveLength(1)
    expect(item(wrapper, 9003).find('[data-test="message-body"]').text()).toBe('您已完成认证')
    expect(item(wrapper, 9003).find('[data-test="message-link"]').exists()).toBe(false)
    // tapped again: closed
    await item(wrapper, 9003).find('.head').trigger('click')
    expect(wrapper.find('[data-test="message-body"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('a refused read leaves the message unread', async () => {
    const fetch = fakeFetch({
      'GET owner/messages': { messages: [REMINDER], total_count: 1, unread_count: 1 },
      'POST owner/messages/9012/read': [404, { error: { code: 'not_found', message: '消息不存在。' } }],
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await mountPage(MessagesPage, { path: '/messages' })
    await item(wrapper, 9012).find('.head').trigger('click')
    await flushPromises()
    expect(item(wrapper, 9012).classes()).toContain('unread')
    expect(wrapper.find('.van-nav-bar__title').text()).toBe('消息（1 条未读）')
    wrapper.unmount()
  })

  it('全部已读 posts read-all with {} and clears the marks, the count and the Me badge', async () => {
    let marked = false
    const fetch = fakeFetch({
      'GET owner/messages': { messages: [REMINDER, NOTICE, PLAIN], total_count: 3, unread_count: 2 },
      'POST owner/messages/read-all': () => { marked = true; return [200, { marked: 2 }] },
      'GET owner/me': () => [200, { verified: true, owner: { name: '王建国' }, phone: '138****0311', unread_notices: 0,
        unread_messages: marked ? 0 : 2 }],
    })
    vi.stubGlobal('fetch', fetch)
    const me = await mountPage(MePage, { path: '/me' })
    expect(me.wrapper.find('[data-test="messages-badge"]').text()).toBe('2')
    me.wrapper.unmount()

    const { wrapper } = await mountPage(MessagesPage, { path: '/messages' })
    await wrapper.find('[data-test="read-all"]').trigger('click')
    await flushPromises()
    expect(posts(fetch).map((c) => [c.url, c.body])).toEqual([['/aishang/api/v1/owner/messages/read-all', {}]])
    expect(wrapper.findAll('.unread')).toHaveLength(0)
    expect(wrapper.findAll('.dot')).toHaveLength(0)
    expect(wrapper.find('.van-nav-bar__title').text()).toBe('消息')
    expect(wrapper.find('[data-test="read-all"]').exists()).toBe(false)
    wrapper.unmount()

    const again = await mountPage(MePage, { path: '/me' })
    expect(again.wrapper.find('[data-test="messages-entry"]').exists()).toBe(true)
    expect(again.wrapper.find('[data-test="messages-badge"]').exists()).toBe(false)
    again.wrapper.unmount()
  })

  it('pages with van-list: the next page starts after the loaded ones', async () => {
    const first = Array.from({ length: 20 }, (_, i) => ({ ...NOTICE, id: 9100 - i, subject: `消息 ${i}` }))
    const fetch = fakeFetch({
      'GET owner/messages': (url) => [200, url.includes('offset=0')
        ? { messages: first, total_count: 21, unread_count: 0 }
        : { messages: [PLAIN], total_count: 21, unread_count: 1 }],
    })
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await mountPage(MessagesPage, { path: '/messages' })
    expect(wrapper.findAll('[data-message]')).toHaveLength(20)
    wrapper.findComponent(List).vm.$emit('load')
    await flushPromises()
    expect(fetch.calls[1].url).toBe('/aishang/api/v1/owner/messages?limit=20&offset=20')
    expect(wrapper.findAll('[data-message]')).toHaveLength(21)
    expect(wrapper.find('.van-nav-bar__title').text()).toBe('消息（1 条未读）')
    expect(wrapper.text()).toContain('没有更多了')
    wrapper.unmount()
  })

  it('no message: 暂无消息, no 全部已读', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'GET owner/messages': { messages: [], total_count: 0, unread_count: 0 } }))
    const { wrapper } = await mountPage(MessagesPage, { path: '/messages' })
    expect(wrapper.find('.van-empty').text()).toContain('暂无消息')
    expect(wrapper.find('[data-test="read-all"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('没有更多了')
    wrapper.unmount()
  })

  it('the Me page shows the unread count and leads to /messages; the home page too', async () => {
    const ME = { verified: true, owner: { id: 1, name: '王建国' }, phone: '138****0311', unread_notices: 0, unread_messages: 3 }
    vi.stubGlobal('fetch', fakeFetch({
      'GET owner/me': ME,
      'GET owner/resources': { resources: [] },
      'GET owner/bills': { totals: { count: 0, balance: '0.00' }, resources: [] },
      'GET owner/notices': { notices: [], total_count: 0, unread_count: 0 },
      'GET owner/messages': { messages: [], total_count: 0, unread_count: 0 },
    }))
    const { wrapper, router } = await mountPage(MePage, { path: '/me' })
    const entry = wrapper.find('[data-test="messages-entry"]')
    expect(entry.find('.van-cell__title').text()).toBe('消息')
    expect(entry.find('[data-test="messages-badge"]').text()).toBe('3')
    await entry.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/messages'))
    wrapper.unmount()

    const home = await mountPage(HomePage)
    expect(home.wrapper.find('[data-test="home-messages"] .van-badge').text()).toBe('3')
    expect(home.wrapper.find('[data-test="home-messages"]').attributes('href')).toBe('/messages')
    home.wrapper.unmount()
  })

  it('the link of a message follows its topic', () => {
    expect(messageLink(REMINDER)).toEqual({ to: '/bills', text: '去缴费' })
    expect(messageLink(NOTICE)).toEqual({ to: '/notices/211', text: '查看公告' })
    expect(messageLink({ ...NOTICE, notice_id: null })).toBeNull()
    expect(messageLink(PLAIN)).toBeNull()
  })
})
