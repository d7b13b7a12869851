// The Vant components the portal uses (registered once; tree-shaken build)
import {
  ActionSheet, Badge, Button, Cascader, Cell, CellGroup, Checkbox, Dialog, Empty, Field, Form, Grid, GridItem,
  Icon, Image, List, Loading, NavBar, Popup, Radio, RadioGroup, PullRefresh, Rate, SubmitBar, Tab, Tabbar,
  TabbarItem, Tabs, Tag, Uploader,
} from 'vant'

const components = [ActionSheet, Badge, Button, Cascader, Cell, CellGroup, Checkbox, Dialog, Empty, Field, Form,
  Grid, GridItem, Icon, Image, List, Loading, NavBar, Popup, Radio, RadioGroup, PullRefresh, Rate, SubmitBar, Tab,
  Tabbar, TabbarItem, Tabs, Tag, Uploader]

export default {
  install(app) {
    for (const component of components) app.use(component)
  },
}
