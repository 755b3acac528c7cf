// Simplified Chinese. Typed as `Messages`, so a key missing here fails the type check as well
// as the catalog test.
import type { Messages } from './en.ts';

export const zhCN: Messages = {
  status: {
    all: '全部',
    normal: '正常',
    standby: '待机',
    protect: '保护',
    fault: '故障',
    offline: '离线'
  },
  kind: {
    inverter: '逆变器',
    storage: '储能',
    charger: '充电桩'
  },
  alarm_kind: {
    fault: '故障',
    protect: '保护',
    cleared: '已恢复'
  },
  kpi: {
    aria: '电站总览',
    power_w: '当前功率',
    today_kwh: '今日发电',
    month_kwh: '本月发电',
    year_kwh: '本年发电',
    total_kwh: '累计发电',
    co2_avoided_kg: 'CO₂ 减排',
    trees_planted: '等效植树',
    coal_saved_kg: '节约标准煤',
    trees_unit: '棵',
    capacity_share: '占装机容量 {capacity} 的 {share}'
  },
  status_cards: {
    aria: '设备状态'
  },
  chart: {
    power_today: '今日功率',
    power_today_aria: '全部电站今日功率',
    plant_power_aria: '电站今日功率',
    last_30_days: '近 30 天',
    last_30_days_aria: '近 30 天每日发电量',
    year_by_month: '本年各月',
    year_by_month_aria: '本年每月发电量',
    last_5_years: '近 5 年',
    last_5_years_aria: '近 5 年每年发电量',
    no_data: '暂无数据'
  },
  map: {
    plants: '{count} 座电站'
  },
  age: {
    seconds: '{n} 秒',
    minutes: '{n} 分钟',
    hours: '{n} 小时',
    hours_minutes: '{h} 小时 {min} 分钟',
    days: '{n} 天',
    ago: '{age}前',
    just_now: '刚刚'
  },
  connection: {
    live: '实时 · {age}前',
    delayed: '数据延迟 · {age}',
    reconnecting_since: '自 {time} 起重新连接中',
    connecting: '正在连接…',
    rejected: '访问被拒绝',
    lost_since: '自 {time} 起连接中断',
    lost_showing: '自 {since} 起连接中断 — 显示 {as_of} 的数据',
    restarting_showing: '服务器自 {since} 起重启中 — 正在重新连接，显示 {as_of} 的数据',
    delayed_showing: '数据自 {since} 起延迟 — 显示 {as_of} 的数据',
    states: {
      connecting: '连接中',
      live: '实时',
      reconnecting: '重新连接中',
      error: '错误'
    }
  },
  screen: {
    revoked_title: '此屏幕已被撤销',
    revoked_body: '管理员已撤销此屏幕的访问权限。请在管理页面生成新的链接重新配对。',
    unpaired_title: '此屏幕尚未配对',
    unpaired_body: '请打开管理页面为此屏幕生成的配对链接 {link}。每分钟重试一次。',
    rejected_title: '此屏幕的令牌被拒绝',
    rejected_body: '此屏幕可能已被删除或令牌已更换。请打开当前的屏幕链接。每分钟重试一次。',
    connecting_title: '正在连接…',
    connecting_body: '正在等待电站数据的首个快照。',
    reloading: '大屏已停止更新，正在重新加载…'
  },
  modes: {
    map: '世界地图',
    plant: '电站',
    plants: '电站列表',
    devices: '设备列表',
    customers: '用户列表',
    alarms: '告警'
  },
  list: {
    page_of: '第 {page} 页，共 {pages} 页',
    total_rows: '共 {count} 条',
    loading: '加载中…',
    unavailable: '暂时无法获取，正在重试',
    empty: '暂无内容'
  },
  plants: {
    title: '电站',
    name: '电站名称',
    owner: '业主',
    built_on: '建站日期',
    devices: '设备数',
    status: '状态',
    power_w: '当前功率',
    today_kwh: '今日发电',
    total_kwh: '累计发电',
    empty: '暂无电站'
  },
  devices: {
    title: '设备',
    status: '状态',
    sn: '序列号',
    datalogger_sn: '采集器',
    kind: '类型',
    plant: '电站',
    power_w: '当前功率',
    rated_power_w: '额定功率',
    today_kwh: '今日发电',
    month_kwh: '本月发电',
    total_kwh: '累计发电',
    last_update: '最后更新',
    never: '从未',
    empty: '暂无设备'
  },
  customers: {
    title: '用户',
    name: '用户名称',
    email: '电子邮箱',
    phone: '电话',
    plants: '电站数',
    devices: '设备数',
    today_kwh: '今日发电',
    empty: '暂无用户'
  },
  alarms: {
    title: '告警',
    plant: '电站',
    device: '设备',
    code: '故障代码',
    kind: '事件',
    when: '时间',
    empty: '暂无告警',
    empty_hint: '所有设备运行正常，无故障或保护。',
    count: '{count} 条事件'
  },
  plant: {
    location: '位置',
    capacity: '装机容量',
    devices: '设备',
    power_today: '今日功率',
    flow_title: '能量流向',
    pv: '光伏',
    battery: '电池',
    grid: '电网',
    home: '负载',
    importing: '购电',
    exporting: '馈网',
    charging: '充电',
    discharging: '放电',
    idle: '空闲',
    soc: '电量',
    charger_title: '电动汽车充电',
    charger_power: '充电功率',
    solar_share: '来自光伏',
    loading: '正在加载电站…',
    none: '没有可显示的电站',
    of_rotation: '{index} / {count}',
    top_largest_yield: '今日发电量最高',
    top_newest_faults: '最新故障'
  }
};
