import { vi } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createRouter, createMemoryHistory } from 'vue-router'
import vant from '../src/vant.js'
import { routes } from '../src/router.js'

// A fetch answering from a table { 'GET owner/me': body | (url, init) => [status, body] | Response };
// a JSON body is parsed in `calls`, a FormData body kept as is
export function fakeFetch(table) {
  const calls = []
  const fetch = vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET'
    const path = url.startsWith('/aishang/api/v1/') ? url.replace('/aishang/api/v1/', '').split('?')[0] : url.split('?')[0]
    calls.push({ method, url, path, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body, headers: init.headers })
    let answer = table[`${method} ${path}`]
    if (answer === undefined) answer = [404, { error: { code: 'not_found', message: '请求的内容不存在。' } }]
    if (typeof answer === 'function') answer = answer(url, init, calls)
    if (answer instanceof Response) return answer
    const [status, body] = Array.isArray(answer) ? answer : [200, answer]
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
  })
  fetch.calls = calls
  return fetch
}

export async function mountPage(component, { path = '/', props } = {}) {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, { props, global: { plugins: [vant, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

export { flushPromises }
