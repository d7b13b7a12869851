// The Vant components the portal uses (registered once; tree-shaken build)
import {
  Button, Cell, CellGroup, Checkbox, Empty, Field, Form, Icon, List, Loading,
  NavBar, Radio, RadioGroup, PullRefresh, SubmitBar, Tabbar, TabbarItem, Tag, Badge,
} from 'vant'

const components = [Button, Cell, CellGroup, Checkbox, Empty, Field, Form, Icon, List,
  Loading, NavBar, Radio, RadioGroup, PullRefresh, SubmitBar, Tabbar, TabbarItem, Tag, Badge]

export default {
  install(app) {
    for (const component of components) app.use(component)
  },
}
