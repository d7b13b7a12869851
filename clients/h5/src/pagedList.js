// A paged list of the owner API behind a van-list: { <key>: [...], total_count }
// pages, read with ?limit=&offset=, newest first. Used by 消息, 公告,
// 缴费记录 and 报修/投诉 so that every one of them gets both guards:
// * a record arriving meanwhile shifts the server's offsets, so the next
//   page may repeat one already shown: records are kept once by id, and
//   the next offset counts the rows the server sent, not the ones kept
//   (a page of repeats must not be asked for again and again);
// * after reset() (a tab switch) a page still on its way belongs to the
//   old list: it is dropped, its loading/failed state too.
import { ref, onMounted } from 'vue'

export const LIMIT = 20

// fetchPage({ limit, offset }) answers a page; key names its array
// ('messages'); onPage(page) reads page-level extras (unread_count,
// total_count) of a page that was kept.
export function usePagedList(fetchPage, key, { limit = LIMIT, onPage } = {}) {
  const items = ref([])
  const loading = ref(false)
  const finished = ref(false)
  const failed = ref(false)
  let sequence = 0 // bumped by reset(): answers of an older list are stale
  let offset = 0 // rows the server sent for this list

  async function load() {
    const mine = sequence
    loading.value = true
    // a retry (van-list clears it too on 点击重试)
    failed.value = false
    try {
      const page = await fetchPage({ limit, offset })
      if (mine !== sequence) return
      const rows = page[key]
      offset += rows.length
      const known = new Set(items.value.map((item) => item.id))
      for (const row of rows) {
        if (known.has(row.id)) continue
        known.add(row.id)
        items.value.push(row)
      }
      if (onPage) onPage(page)
      // an empty page ends it too: a total_count gone stale never loops
      finished.value = offset >= page.total_count || !rows.length
    } catch {
      // the API module has shown the error; van-list offers 点击重试
      if (mine === sequence) failed.value = true
    } finally {
      if (mine === sequence) loading.value = false
    }
  }

  // another list (a tab): start again from its first page
  function reset() {
    sequence += 1
    offset = 0
    items.value = []
    finished.value = false
    failed.value = false
    return load()
  }

  // the first page at once (van-list sees no size in a hidden web-view)
  onMounted(load)

  return { items, loading, finished, failed, load, reset }
}
