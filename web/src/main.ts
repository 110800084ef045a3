// The app: Vue, the router (each view a lazily loaded chunk) and Element Plus's zh-CN locale.
// Element Plus components are imported where templates use them (vite.config.ts), so only the
// locale is set here, app-wide, and the CSS of the few parts used from script (ElMessage) and of
// the shell's base.
import { createApp } from 'vue'
import { provideGlobalConfig } from 'element-plus'
import zhCn from 'element-plus/dist/locale/zh-cn.mjs'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-message.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { loadCurrentUser } from './api/session'

void loadCurrentUser()
const app = createApp(App)
provideGlobalConfig({ locale: zhCn, size: 'default' }, app, true)
app.use(router).mount('#app')
