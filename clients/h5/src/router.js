import { createRouter, createWebHistory, createMemoryHistory } from 'vue-router'
import { getToken, onUnauthorized } from './api.js'

export const routes = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
  { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { tab: true, title: '首页' } },
  { path: '/bills', name: 'bills', component: () => import('./pages/BillsPage.vue'), meta: { tab: true, title: '账单' } },
  { path: '/pay', name: 'pay', component: () => import('./pages/PayPage.vue'), meta: { title: '支付' } },
  { path: '/receipts', name: 'receipts', component: () => import('./pages/ReceiptsPage.vue'), meta: { title: '缴费记录' } },
  { path: '/receipts/:id(\\d+)', name: 'receipt', component: () => import('./pages/ReceiptPage.vue'), props: true, meta: { title: '电子收据' } },
  { path: '/notices', name: 'notices', component: () => import('./pages/NoticesPage.vue'), meta: { tab: true, title: '公告' } },
  { path: '/notices/:id(\\d+)', name: 'notice', component: () => import('./pages/NoticePage.vue'), props: true, meta: { title: '公告详情' } },
  { path: '/messages', name: 'messages', component: () => import('./pages/MessagesPage.vue'), meta: { title: '消息' } },
  { path: '/tickets', name: 'tickets', component: () => import('./pages/TicketsPage.vue'), meta: { title: '我的报修/投诉' } },
  { path: '/tickets/new', name: 'ticket-new', component: () => import('./pages/TicketNewPage.vue'), meta: { title: '报修/投诉建议' } },
  { path: '/tickets/:id(\\d+)', name: 'ticket', component: () => import('./pages/TicketPage.vue'), props: true, meta: { title: '工单详情' } },
  { path: '/repairs', redirect: { name: 'tickets', query: { kind: 'repair' } } },
  { path: '/complaints', redirect: { name: 'tickets', query: { kind: 'complaint' } } },
  { path: '/me', name: 'me', component: () => import('./pages/MePage.vue'), meta: { tab: true, title: '我的' } },
  { path: '/:rest(.*)*', redirect: '/' },
]

export function createAppRouter(history = createWebHistory('/owner/')) {
  const router = createRouter({ history, routes, scrollBehavior: () => ({ top: 0 }) })
  router.beforeEach((to) => {
    if (!to.meta.public && !getToken()) {
      return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    }
    return true
  })
  router.afterEach((to) => {
    if (typeof document !== 'undefined') document.title = to.meta.title ? `${to.meta.title} - 爱尚物业` : '爱尚物业'
  })
  onUnauthorized(() => {
    const current = router.currentRoute.value
    if (current.name !== 'login') {
      router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
    }
  })
  return router
}

export { createMemoryHistory }
