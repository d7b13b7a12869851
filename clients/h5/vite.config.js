import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The API of the development server; the built portal is served by trytond
// itself under /owner/ (addons/aishang_portal/h5.py), same origin as the API.
const target = process.env.AISHANG_API || 'http://127.0.0.1:8000'

export default defineConfig({
  base: '/owner/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    target: ['es2019', 'safari13'],
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/aishang/': { target, changeOrigin: false },
      '^/[^/]+/aishang/pay/': { target, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.spec.js'],
    css: false,
    server: { deps: { inline: ['vant'] } },
  },
})
