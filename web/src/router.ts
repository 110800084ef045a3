// Every view at its own URL (history mode): bookmark, reload and share any of them.
// The first segment of each path is listed in api/explorer.py (APP_ROUTES), which serves index.html there.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: '首页' } },
  { path: '/search', name: 'search', component: () => import('./views/SearchView.vue'), meta: { title: '检索' } },
  { path: '/chain/:issueId', name: 'chain', component: () => import('./views/ChainView.vue'), meta: { title: '问责链条' } },
  { path: '/case/:id', name: 'case', component: () => import('./views/CaseView.vue'), meta: { title: '案件' } },
  { path: '/official/:id', name: 'official', component: () => import('./views/OfficialView.vue'), meta: { title: '干部档案' } },
  { path: '/organisation/:id', name: 'organisation', component: () => import('./views/OrganisationView.vue'), meta: { title: '单位' } },
  { path: '/stats', name: 'stats', component: () => import('./views/StatsView.vue'), meta: { title: '统计' } },
  { path: '/campaign/:id', name: 'campaign', component: () => import('./views/CampaignView.vue'), meta: { title: '专项整治' } },
  { path: '/supervision', name: 'supervision', component: () => import('./views/SupervisionView.vue'), meta: { title: '督办' } },
  { path: '/supervision/report', name: 'report', component: () => import('./views/ReportView.vue'), meta: { title: '周汇总 / 月通报' } },
  { path: '/explorer', name: 'explorer', component: () => import('./views/ExplorerView.vue'), meta: { title: '关系网络' } },
  { path: '/:rest(.*)*', name: 'missing', component: () => import('./views/MissingView.vue'), meta: { title: '页面不存在' } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? '')} · 问责工作台`
})
