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
}

/** Only what changed since the previous snapshot or delta of the room; `plants` lists changed plants whole. */
export interface Delta {
  as_of: string;
  status?: StatusCounts;
  kpi?: Kpi;
  plants?: PlantPoint[];
  series?: Partial<Series>;
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
  timezone: string | null;
  language: Language | null;
}

export type DisplayMode = 'map';

/** A screen's own settings; null theme or language means the tenant's. */
export interface ScreenSettings {
  mode: DisplayMode;
  theme: ThemeName | null;
  language: Language | null;
  /** Mask customers' names, e-mail addresses and phone numbers (on unless turned off). */
  mask_personal: boolean;
}

export interface ScreenInfo {
  id: string;
  name: string;
  settings: ScreenSettings;
}

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  delta: (delta: Delta) => void;
  /** This screen's name and settings: on connect and whenever an admin changes them. */
  screen: (screen: ScreenInfo) => void;
  /** The screen was revoked; the server disconnects it right after. */
  revoked: () => void;
}

// Screens only listen; they never choose a room or ask for data.
export type ClientToServerEvents = Record<string, never>;

export interface SocketAuth {
  token: string;
}
