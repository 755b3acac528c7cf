// The screen settings form beyond name/theme/language/mask: modes, playlist, fly-through, plant,
// paging, night dimming and pixel shift. Plain form values in, contract settings out.
import type { DisplayMode, PlaylistItem, ScreenSettings } from '$contract';

export interface MoreSettingsForm {
  mode: DisplayMode;
  playlist: PlaylistItem[];
  /** Off: the screen shows `mode` only, whatever the list holds. */
  playlistOn: boolean;
  /** "" for none. */
  flyThrough: '' | 'largest_yield' | 'newest_faults';
  /** "" for the fly-through plants. */
  plantId: string;
  pageSeconds: number;
  nightOn: boolean;
  nightFrom: string;
  nightTo: string;
  /** Percent, 10-100. */
  nightBrightness: number;
  pixelShift: boolean;
}

export const MODE_LABEL: Record<DisplayMode, string> = {
  map: 'World map',
  plant: 'Plant (power flow)',
  plants: 'Plant list',
  devices: 'Device list',
  customers: 'Customer list',
  alarms: 'Alarms'
};

export function toForm(s: ScreenSettings): MoreSettingsForm {
  return {
    mode: s.mode,
    playlist: (s.playlist ?? []).map((i) => ({ ...i })),
    playlistOn: !!s.playlist?.length,
    flyThrough: s.fly_through ?? '',
    plantId: s.plant_id ?? '',
    pageSeconds: s.page_seconds,
    nightOn: s.night !== null,
    nightFrom: s.night?.from ?? '22:00',
    nightTo: s.night?.to ?? '06:00',
    nightBrightness: Math.round((s.night?.brightness ?? 0.3) * 100),
    pixelShift: s.pixel_shift
  };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(n) ? n : lo));

export function fromForm(f: MoreSettingsForm): Pick<ScreenSettings, 'mode' | 'playlist' | 'fly_through' | 'plant_id' | 'page_seconds' | 'night' | 'pixel_shift'> {
  const items = f.playlist.map((i) => ({ mode: i.mode, seconds: Math.round(clamp(i.seconds, 5, 86_400)) }));
  return {
    mode: f.mode,
    playlist: f.playlistOn && items.length > 0 ? items : null,
    fly_through: f.flyThrough || null,
    plant_id: f.plantId || null,
    page_seconds: Math.round(clamp(f.pageSeconds, 5, 3600)),
    night: f.nightOn ? { from: f.nightFrom, to: f.nightTo, brightness: clamp(f.nightBrightness, 10, 100) / 100 } : null,
    pixel_shift: f.pixelShift
  };
}

/** Whether the form says something other than the saved settings. */
export function formDiffers(f: MoreSettingsForm, s: ScreenSettings): boolean {
  const a = fromForm(f);
  const b = fromForm(toForm(s));
  return JSON.stringify(a) !== JSON.stringify(b);
}
