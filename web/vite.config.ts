// Builds the workbench into the Python package: api/static/app/, served by wenze under /static/app/.
// Every route of the app returns index.html (api/workbench routes); assets keep this fixed prefix.
//
// First load stays small: each view is its own chunk (web/src/router.ts imports them lazily);
// Element Plus components (and their CSS) are imported on demand where a template uses them
// (unplugin-vue-components' resolver), not the whole library; ECharts comes in only with the chart
// component (components/EChart.vue, echarts/core with the charts it registers), so a page without a
// chart never loads it. Every text file is also written precompressed (.gz, .br: ./precompress.ts),
// which api/explorer.py serves by the request's Accept-Encoding.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { fileURLToPath } from 'node:url'
import { precompress } from './precompress'

export default defineConfig({
  base: '/static/app/',
  plugins: [
    vue(),
    // <el-table> in a template -> import { ElTable } from 'element-plus' + its CSS, in that chunk only.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false, dirs: [] }),
    precompress(),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../api/static/app', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    // No module preload polyfill reaching for anything: plain ES modules, same origin only.
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (/node_modules\/(@vue|vue|vue-router)\//.test(id)) return 'vue'
          if (/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts'
          return undefined
        },
      },
    },
  },
})
