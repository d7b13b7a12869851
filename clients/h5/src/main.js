import { createApp } from 'vue'
import 'vant/lib/index.css'
import App from './App.vue'
import vant from './vant.js'
import { createAppRouter } from './router.js'

createApp(App).use(vant).use(createAppRouter()).mount('#app')
