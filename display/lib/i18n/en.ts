// English: the reference catalog. Every key here must exist in every other catalog (a test
// checks); values are ICU messages (`{count}` placeholders, plurals), formatted by svelte-i18n.
export const en = {
  status: {
    all: 'All',
    normal: 'Normal',
    standby: 'Standby',
    protect: 'Protect',
    fault: 'Fault',
    offline: 'Offline'
  },
  kind: {
    inverter: 'Inverter',
    storage: 'Storage',
    charger: 'Charger'
  },
  alarm_kind: {
    fault: 'Fault',
    protect: 'Protect',
    cleared: 'Cleared'
  },
  kpi: {
    aria: 'Fleet figures',
    power_w: 'Current power',
    today_kwh: 'Today',
    month_kwh: 'This month',
    year_kwh: 'This year',
    total_kwh: 'Total',
    co2_avoided_kg: 'CO₂ avoided',
    trees_planted: 'Trees planted',
    coal_saved_kg: 'Coal saved',
    trees_unit: 'trees',
    capacity_share: '{share} of {capacity} installed'
  },
  status_cards: {
    aria: 'Devices by status'
  },
  chart: {
    power_today: 'Power today',
    power_today_aria: 'Fleet power today',
    plant_power_aria: 'Plant power today',
    last_30_days: 'Last 30 days',
    last_30_days_aria: 'Energy per day, last 30 days',
    year_by_month: 'This year by month',
    year_by_month_aria: 'Energy per month this year',
    last_5_years: 'Last 5 years',
    last_5_years_aria: 'Energy per year, last 5 years',
    no_data: 'No data yet'
  },
  map: {
    plants: '{count, plural, one {# plant} other {# plants}}'
  },
  age: {
    seconds: '{n} s',
    minutes: '{n} min',
    hours: '{n} h',
    hours_minutes: '{h} h {min} min',
    days: '{n} d',
    ago: '{age} ago',
    just_now: 'just now'
  },
  connection: {
    live: 'Live · {age} ago',
    delayed: 'Data delayed · {age}',
    reconnecting_since: 'Reconnecting since {time}',
    connecting: 'Connecting…',
    rejected: 'Access rejected',
    lost_since: 'Connection lost since {time}',
    lost_showing: 'Connection lost since {since} — showing figures from {as_of}',
    restarting_showing: 'Server restarting since {since} — reconnecting, showing figures from {as_of}',
    delayed_showing: 'Data delayed since {since} — showing figures from {as_of}',
    states: {
      connecting: 'connecting',
      live: 'live',
      reconnecting: 'reconnecting',
      error: 'error'
    }
  },
  screen: {
    revoked_title: 'This screen was revoked',
    revoked_body: "An administrator revoked this screen's access. Pair it again with a new link from the admin pages.",
    unpaired_title: 'This screen is not paired',
    unpaired_body: 'Open the pairing link, {link}, made for this screen in the admin pages. Retrying every minute.',
    rejected_title: "This screen's token was rejected",
    rejected_body: 'The screen may have been deleted or its token replaced. Open the current screen URL. Retrying every minute.',
    connecting_title: 'Connecting…',
    connecting_body: "Waiting for the fleet's first snapshot.",
    reloading: 'The wall stopped updating; reloading…'
  },
  modes: {
    map: 'World map',
    plant: 'Plant',
    plants: 'Plant list',
    devices: 'Device list',
    customers: 'Customer list',
    alarms: 'Alarms'
  },
  list: {
    page_of: 'Page {page} of {pages}',
    total_rows: '{count, plural, one {# row} other {# rows}}',
    loading: 'Loading…',
    unavailable: 'Not available right now; retrying',
    empty: 'Nothing to show yet'
  },
  plants: {
    title: 'Plants',
    name: 'Plant',
    owner: 'Owner',
    built_on: 'Built on',
    devices: 'Devices',
    status: 'Status',
    power_w: 'Current power',
    today_kwh: 'Today',
    total_kwh: 'Total',
    empty: 'No plants'
  },
  devices: {
    title: 'Devices',
    status: 'Status',
    sn: 'Serial number',
    datalogger_sn: 'Datalogger',
    kind: 'Kind',
    plant: 'Plant',
    power_w: 'Current power',
    rated_power_w: 'Rated power',
    today_kwh: 'Today',
    month_kwh: 'This month',
    total_kwh: 'Total',
    last_update: 'Last update',
    never: 'never',
    empty: 'No devices'
  },
  customers: {
    title: 'Customers',
    name: 'Customer',
    email: 'E-mail',
    phone: 'Phone',
    plants: 'Plants',
    devices: 'Devices',
    today_kwh: "Today's yield",
    empty: 'No customers'
  },
  alarms: {
    title: 'Alarms',
    plant: 'Plant',
    device: 'Device',
    code: 'Fault code',
    kind: 'Event',
    when: 'When',
    empty: 'No alarms',
    empty_hint: 'Every device is running without faults or protections.',
    count: '{count, plural, one {# event} other {# events}}'
  },
  plant: {
    location: 'Location',
    capacity: 'Capacity',
    devices: 'Devices',
    power_today: 'Power today',
    flow_title: 'Power flow',
    pv: 'Solar',
    battery: 'Battery',
    grid: 'Grid',
    home: 'Home',
    importing: 'Importing',
    exporting: 'Exporting',
    charging: 'Charging',
    discharging: 'Discharging',
    idle: 'Idle',
    soc: 'State of charge',
    charger_title: 'EV charging',
    charger_power: 'Charging power',
    solar_share: 'From solar',
    loading: 'Loading plant…',
    none: 'No plant to show',
    of_rotation: '{index} of {count}',
    top_largest_yield: 'Largest yield today',
    top_newest_faults: 'Newest faults'
  }
};

/** The shape every catalog has: the same keys as English, any wording. */
type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };
export type Messages = Catalog<typeof en>;
