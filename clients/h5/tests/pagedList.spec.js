import { describe, it, expect, vi, afterEach } from 'vitest'
import { defineComponent } from 'vue'
import { mount, flushPromises } from '@vue/test-utils'
import { usePagedList } from '../src/pagedList.js'

// the composable in a bare component (it loads the first page on mount)
const mounted = []
function host(fetchPage, key = 'rows', options) {
  const wrapper = mount(defineComponent({ setup: () => usePagedList(fetchPage, key, options), render: () => null }))
  mounted.push(wrapper)
  return wrapper.vm
}

// an answer the test gives when it wants: { promise, resolve, reject }
function later() {
  let resolve, reject
  const promise = new Promise((ok, ko) => { resolve = ok; reject = ko })
  return { promise, resolve, reject }
}

const rows = (from, count) => Array.from({ length: count }, (_, i) => ({ id: from - i }))

describe('paged list (usePagedList)', () => {
  afterEach(() => { while (mounted.length) mounted.pop().unmount() })

  it('loads the first page on mount, then the next one after the rows shown', async () => {
    const fetchPage = vi.fn(async ({ offset }) => (offset === 0
      ? { rows: rows(100, 20), total_count: 25 }
      : { rows: rows(80, 5), total_count: 25 }))
    const list = host(fetchPage)
    await flushPromises()
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, offset: 0 })
    expect(list.items).toHaveLength(20)
    expect(list.loading).toBe(false)
    expect(list.finished).toBe(false)
    await list.load()
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, offset: 20 })
    expect(list.items.map((r) => r.id)).toEqual(rows(100, 25).map((r) => r.id))
    expect(list.finished).toBe(true)
  })

  it('the limit is an option', async () => {
    const fetchPage = vi.fn(async () => ({ rows: rows(100, 5), total_count: 5 }))
    host(fetchPage, 'rows', { limit: 5 })
    await flushPromises()
    expect(fetchPage).toHaveBeenCalledWith({ limit: 5, offset: 0 })
  })

  it('finished at total_count, and on an empty page whatever total_count says', async () => {
    const all = host(async () => ({ rows: rows(100, 3), total_count: 3 }))
    await flushPromises()
    expect(all.finished).toBe(true)

    // records deleted meanwhile: total_count is stale, the empty page ends it
    const fetchPage = vi.fn(async ({ offset }) => (offset === 0
      ? { rows: rows(100, 20), total_count: 30 }
      : { rows: [], total_count: 30 }))
    const shrunk = host(fetchPage)
    await flushPromises()
    expect(shrunk.finished).toBe(false)
    await shrunk.load()
    expect(shrunk.finished).toBe(true)
    expect(shrunk.items).toHaveLength(20)

    const none = host(async () => ({ rows: [], total_count: 0 }))
    await flushPromises()
    expect(none.finished).toBe(true)
    expect(none.items).toEqual([])
  })

  it('a record already shown is not shown twice (a new one shifted the pages)', async () => {
    // 20 shown, then one arrives on top: the old 20th comes again at offset 20
    const fetchPage = vi.fn(async ({ offset }) => (offset === 0
      ? { rows: rows(100, 20), total_count: 22 }
      : { rows: rows(81, 3), total_count: 23 }))
    const list = host(fetchPage)
    await flushPromises()
    await list.load()
    const ids = list.items.map((r) => r.id)
    expect(ids).toEqual(rows(100, 22).map((r) => r.id))
    expect(new Set(ids).size).toBe(ids.length)
    // a page repeating itself adds nothing
    const again = host(async () => ({ rows: [{ id: 1 }, { id: 1 }], total_count: 2 }))
    await flushPromises()
    expect(again.items).toEqual([{ id: 1 }])
  })

  it('a page of records already shown moves on: the next offset counts the rows sent', async () => {
    // 20 arrive on top between two loads: offset 20 repeats the 20 shown
    const fetchPage = vi.fn(async ({ offset }) => {
      if (offset === 0) return { rows: rows(100, 20), total_count: 30 }
      if (offset === 20) return { rows: rows(100, 20), total_count: 50 }
      return { rows: rows(80, 20), total_count: 50 }
    })
    const list = host(fetchPage)
    await flushPromises()
    await list.load()
    expect(list.items).toHaveLength(20)
    expect(list.finished).toBe(false)
    await list.load()
    expect(fetchPage.mock.calls.map(([p]) => p.offset)).toEqual([0, 20, 40])
    expect(list.items.map((r) => r.id)).toEqual(rows(100, 40).map((r) => r.id))
  })

  it('page-level extras are read from every page kept', async () => {
    const onPage = vi.fn()
    const list = host(async ({ offset }) => ({ rows: rows(100 - offset, offset ? 1 : 20), total_count: 21,
      unread_count: offset ? 1 : 4 }), 'rows', { onPage })
    await flushPromises()
    expect(onPage).toHaveBeenLastCalledWith(expect.objectContaining({ unread_count: 4, total_count: 21 }))
    await list.load()
    expect(onPage).toHaveBeenCalledTimes(2)
    expect(onPage).toHaveBeenLastCalledWith(expect.objectContaining({ unread_count: 1 }))
  })

  it('after reset, the answer of the list left meanwhile is dropped', async () => {
    const answers = [later(), later()]
    const onPage = vi.fn()
    const fetchPage = vi.fn(() => answers[fetchPage.mock.calls.length - 1].promise)
    const list = host(fetchPage, 'rows', { onPage })
    await flushPromises()
    expect(list.loading).toBe(true)

    const reset = list.reset() // another tab, while the first page is on its way
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, offset: 0 })
    answers[1].resolve({ rows: [{ id: 7 }], total_count: 1, unread_count: 0 })
    await reset
    expect(list.items).toEqual([{ id: 7 }])
    expect(list.finished).toBe(true)

    // the old tab answers late: neither its rows, its extras nor its state
    answers[0].resolve({ rows: rows(100, 20), total_count: 40, unread_count: 9 })
    await flushPromises()
    expect(list.items).toEqual([{ id: 7 }])
    expect(list.finished).toBe(true)
    expect(list.loading).toBe(false)
    expect(onPage).toHaveBeenCalledTimes(1)
  })

  it('after reset, a late failure of the list left is dropped too; reset clears the old rows', async () => {
    const answers = [later(), later(), later()]
    const fetchPage = vi.fn(() => answers[fetchPage.mock.calls.length - 1].promise)
    const list = host(fetchPage)
    answers[0].resolve({ rows: rows(100, 20), total_count: 40 })
    await flushPromises()
    expect(list.items).toHaveLength(20)

    const next = list.load() // the second page of the first tab, then a tab switch
    list.reset()
    expect(list.items).toEqual([])
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, offset: 0 })
    answers[1].reject(new Error('network'))
    await next
    expect(list.failed).toBe(false)
    expect(list.loading).toBe(true) // the new tab's page is still on its way
    answers[2].resolve({ rows: [{ id: 3 }], total_count: 1 })
    await flushPromises()
    expect(list.items).toEqual([{ id: 3 }])
    expect(list.loading).toBe(false)
  })

  it('a failed page sets failed (点击重试); loading again retries the same offset', async () => {
    let fail = true
    const fetchPage = vi.fn(async () => {
      if (fail) throw new Error('network')
      return { rows: rows(100, 2), total_count: 2 }
    })
    const list = host(fetchPage)
    await flushPromises()
    expect(list.failed).toBe(true)
    expect(list.loading).toBe(false)
    expect(list.finished).toBe(false)
    expect(list.items).toEqual([])

    fail = false
    await list.load()
    expect(fetchPage).toHaveBeenCalledTimes(2)
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, offset: 0 })
    expect(list.failed).toBe(false)
    expect(list.items).toHaveLength(2)
    expect(list.finished).toBe(true)
  })

  it('a page without its array is a failure, not an end', async () => {
    const list = host(async () => ({ total_count: 3 }), 'messages')
    await flushPromises()
    expect(list.failed).toBe(true)
    expect(list.finished).toBe(false)
  })
})
