// Builds the workbench into the Python package: api/static/app/, served by wenze under /static/app/.
// Every route of the app returns index.html (api/workbench routes); assets keep this fixed prefix.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  base: '/static/app/',
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../api/static/app', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // No module preload polyfill reaching for anything: plain ES modules, same origin only.
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        manualChunks: {
          vue: ['vue', 'vue-router'],
          'element-plus': ['element-plus', '@element-plus/icons-vue'],
          echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'],
        },
      },
    },
  },
})
