// The external contract v1 (DESIGN.md): the snapshot, the delta and the Socket.IO event map.
// Shared by the server and the display; types only, so it costs the browser bundle nothing.

export const STATUSES = ['normal', 'standby', 'protect', 'fault'] as const;
export type ReportedStatus = (typeof STATUSES)[number];
export type DeviceStatus = ReportedStatus | 'offline';
export type PlantStatus = 'normal' | 'protect' | 'fault' | 'offline';

export interface StatusCounts {
  all: number;
  normal: number;
  standby: number;
  protect: number;
  fault: number;
  offline: number;
}

export interface Kpi {
  power_w: number;
  today_kwh: number;
  month_kwh: number;
  year_kwh: number;
  total_kwh: number;
  co2_avoided_kg: number;
  /** Environmental equivalents of total_kwh, with the tenant's factors (additions to v1). */
  trees_planted?: number;
  coal_saved_kg?: number;
}

export interface PlantPoint {
  id: string;
  name: string;
  lat: number;
  lon: number;
  status: PlantStatus;
  power_w: number;
  today_kwh: number;
  capacity_kw: number;
}

export interface Series {
  /** The tenant's local day in 5-minute buckets; `t` is the bucket start, ISO 8601 UTC. */
  today: { t: string; power_w: number }[];
  /** 30 calendar dates, oldest first. */
  days: { date: string; kwh: number }[];
  /** The 12 months of the current year (YYYY-MM). */
  months: { month: string; kwh: number }[];
  /** The last 5 years, ending this year. */
  years: { year: number; kwh: number }[];
}

export const THEMES = ['control-room', 'lobby', 'daylight'] as const;
export type ThemeName = (typeof THEMES)[number];
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The tenant whose subtree the wall shows, with its branding resolved down the tenant tree
 * (each setting from the nearest tenant that sets it). Fields past the contract's five are
 * additions: clients that do not know them ignore them.
 */
export interface TenantHeader {
  id: string;
  name: string;
  title: string;
  logo_url: string | null;
  timezone: string;
  /** '#rrggbb', or null for the theme's own accent. */
  accent_color: string | null;
  theme: ThemeName;
  language: Language;
}

export interface Snapshot {
  /** ISO 8601 UTC instant the figures are true at. */
  as_of: string;
  tenant: TenantHeader;
  status: StatusCounts;
  kpi: Kpi;
  plants: PlantPoint[];
  series: Series;
  /** The latest alarms of the subtree, newest first (an addition to v1). */
  alarms?: AlarmEvent[];
}

/** Only what changed since the previous snapshot or delta of the room; `plants` lists changed plants whole. */
export interface Delta {
  as_of: string;
  status?: StatusCounts;
  kpi?: Kpi;
  plants?: PlantPoint[];
  series?: Partial<Series>;
  /** Alarms raised since the previous message, newest first. */
  alarms?: AlarmEvent[];
}

/** A tenant's branding settings as the admin API shows them; null means "inherit". */
export interface BrandingSettings {
  title: string | null;
  logo_url: string | null;
  /** '#rrggbb' */
  accent_color: string | null;
  theme: ThemeName | null;
  /** kg of CO2 avoided per kWh. */
  co2_factor: number | null;
  /** kg of CO2 one tree takes up in a year: trees planted = co2_avoided_kg / this. */
  tree_co2_kg: number | null;
  /** kg of standard coal a kWh of grid power burns: coal saved = total_kwh x this. */
  coal_kg_per_kwh: number | null;
  timezone: string | null;
  language: Language | null;
}

export const DISPLAY_MODES = ['map', 'plant', 'plants', 'devices', 'customers', 'alarms'] as const;
export type DisplayMode = (typeof DISPLAY_MODES)[number];

export interface PlaylistItem {
  mode: DisplayMode;
  seconds: number;
}

/** A screen's own settings; null theme or language means the tenant's. */
export interface ScreenSettings {
  /** The mode shown when there is no playlist. */
  mode: DisplayMode;
  /** Modes to rotate through, each for its seconds; null shows `mode` only. */
  playlist: PlaylistItem[] | null;
  /** Map and plant modes fly through these plants in turn; null stays on the whole fleet. */
  fly_through: 'largest_yield' | 'newest_faults' | null;
  /** The plant mode's plant; null takes the plants of `fly_through` (largest yield by default). */
  plant_id: string | null;
  /** Seconds per page of the list modes. */
  page_seconds: number;
  theme: ThemeName | null;
  language: Language | null;
  /** Mask customers' names, e-mail addresses and phone numbers (on unless turned off). */
  mask_personal: boolean;
  /** Dim the wall between two local times (tenant's time zone), to `brightness` (0.1-1). */
  night: { from: string; to: string; brightness: number } | null;
  /** Shift the picture by a few pixels now and then, against burn-in. */
  pixel_shift: boolean;
}

/** A device entering fault or protect, or coming back, newest first. */
export interface AlarmEvent {
  at: string;
  sn: string;
  plant_id: string;
  plant_name: string;
  kind: 'fault' | 'protect' | 'cleared';
  fault_code: string | null;
}

// Rows of the list modes (GET /api/v1/screens/:id/<list>?sort=&order=&offset=&limit=).
export interface Page<Row> {
  total: number;
  offset: number;
  rows: Row[];
}

export interface PlantRow {
  id: string;
  name: string;
  /** The owning customer's name, masked unless the screen allows it. */
  owner: string;
  city: string | null;
  country: string | null;
  built_on: string | null;
  devices: number;
  status: PlantStatus;
  power_w: number;
  capacity_kw: number;
  today_kwh: number;
  total_kwh: number;
}

export interface DeviceRow {
  sn: string;
  plant_id: string;
  plant_name: string;
  status: DeviceStatus;
  datalogger_sn: string | null;
  kind: 'inverter' | 'storage' | 'charger';
  model: string | null;
  power_w: number;
  rated_power_w: number;
  today_kwh: number;
  month_kwh: number;
  total_kwh: number;
  /** ISO instant of its latest record, or null. */
  last_update: string | null;
}

export interface CustomerRow {
  id: string;
  /** Masked ("J*** D***") unless the screen allows personal data. */
  name: string;
  email: string | null;
  phone: string | null;
  plants: number;
  devices: number;
  today_kwh: number;
}

/** The plant mode: one plant, its devices, and where its power flows now. */
export interface PlantDetail {
  plant: PlantRow & { lat: number; lon: number; timezone: string };
  devices: DeviceRow[];
  /** Null without storage or grid readings. Signs: battery + charging, grid + importing. */
  flow: { pv_w: number; battery_w: number | null; battery_soc: number | null; grid_w: number | null; load_w: number | null } | null;
  /** Chargers: charging power now and how much of it the plant's PV covers. */
  charging: { power_w: number; solar_w: number } | null;
  /** The plant's local day in 5-minute buckets. */
  today: { t: string; power_w: number }[];
}

/** Statistics of the plants inside a map viewport (GET /api/v1/screens/:id/region?west=&south=&east=&north=). */
export interface RegionStats {
  plants: number;
  power_w: number;
  today_kwh: number;
  /** The last 7 dates, oldest first. */
  days: { date: string; kwh: number }[];
  /** The last 5 years, ending this year. */
  years: { year: number; kwh: number }[];
}

export interface ScreenInfo {
  id: string;
  name: string;
  settings: ScreenSettings;
}

/**
 * The columnar encoding (an addition to v1), for clients that ask for it in the handshake with
 * `auth: { encoding: 'columnar' }`: the same snapshot and delta, but the plants as columns sent
 * as Socket.IO binary attachments instead of one JSON object per plant. Such a socket gets
 * `snapshot:columnar` and `delta:columnar` instead of `snapshot` and `delta`; everything but
 * `plants` keeps its JSON shape.
 */
export const SOCKET_ENCODINGS = ['json', 'columnar'] as const;
/**
 * How often the server pings every screen's socket (Socket.IO's own heartbeat). A screen that
 * hears nothing, not even a ping, for a little longer than this knows its link is gone, even
 * when no TCP close ever comes (a pulled cable): its wall says so within seconds.
 */
export const PING_INTERVAL_MS = 2_000;
export type SocketEncoding = (typeof SOCKET_ENCODINGS)[number];

/** The `status` column's codes: a plant's status is PLANT_STATUSES[code]. */
export const PLANT_STATUSES = ['normal', 'protect', 'fault', 'offline'] as const satisfies readonly PlantStatus[];

/** A binary attachment: a typed array as sent; an ArrayBuffer (browser) or a Buffer (Node) as received. */
export type Binary = ArrayBuffer | ArrayBufferView;

/**
 * Plants as columns, row i being one plant. Ids and names are joined into one string each;
 * `id_end[i]` is where plant i's id ends (UTF-16 code units), so its id is
 * `ids.slice(i ? id_end[i - 1] : 0, id_end[i])`. Coordinates are Float64 (exactly the JSON's
 * numbers); power, energy and capacity are Float32 (7 significant digits: the wall shows 3 or 4).
 */
export interface PlantColumns {
  count: number;
  ids: string;
  /** Uint32 */
  id_end: Binary;
  names: string;
  /** Uint32 */
  name_end: Binary;
  /** Float64 */
  lat: Binary;
  /** Float64 */
  lon: Binary;
  /** Uint8, codes of PLANT_STATUSES */
  status: Binary;
  /** Float32 */
  power_w: Binary;
  /** Float32 */
  today_kwh: Binary;
  /** Float32 */
  capacity_kw: Binary;
}

export type ColumnarSnapshot = Omit<Snapshot, 'plants'> & { plants: PlantColumns };
/** A delta's changed plants (whole) as columns; absent when no plant changed. */
export type ColumnarDelta = Omit<Delta, 'plants'> & { plants?: PlantColumns };

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  delta: (delta: Delta) => void;
  'snapshot:columnar': (snapshot: ColumnarSnapshot) => void;
  'delta:columnar': (delta: ColumnarDelta) => void;
  /** This screen's name and settings: on connect and whenever an admin changes them. */
  screen: (screen: ScreenInfo) => void;
  /** The screen was revoked; the server disconnects it right after. */
  revoked: () => void;
  /**
   * New data cannot reach the store (failing or slow): the figures are true as of `since` and
   * frozen; null when data flows again. Sent on change and on connect while delayed (an addition to v1).
   */
  'data-delayed': (delay: DataDelay | null) => void;
  /** The server is stopping and closes the connection right after: reconnect, with backoff (an addition to v1). */
  'server-restarting': () => void;
}

export interface DataDelay {
  /** ISO 8601 UTC instant since when new data has not been stored. */
  since: string;
}

// Screens only listen; they never choose a room or ask for data.
export type ClientToServerEvents = Record<string, never>;

export interface SocketAuth {
  /** A screen token; browsers paired through the screen URL send their cookie instead. */
  token?: string;
  /** 'json' (the default) or 'columnar'. */
  encoding?: SocketEncoding;
}
