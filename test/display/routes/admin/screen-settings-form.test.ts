import { describe, expect, it } from 'vitest';
import { DEFAULT_SCREEN_SETTINGS } from '../../../../server/auth/credentials.ts';
import type { ScreenSettings } from '$contract';
import { formDiffers, fromForm, toForm } from '../../../../display/routes/admin/t/[tenantId]/screens/screen-settings-form.ts';

describe('screen settings form', () => {
  it('is not dirty right after loading what the server holds', () => {
    expect(formDiffers(toForm(DEFAULT_SCREEN_SETTINGS), DEFAULT_SCREEN_SETTINGS)).toBe(false);
    const busy: ScreenSettings = {
      ...DEFAULT_SCREEN_SETTINGS,
      mode: 'plants',
      playlist: [{ mode: 'map', seconds: 60 }, { mode: 'alarms', seconds: 20 }],
      fly_through: 'newest_faults',
      night: { from: '22:00', to: '06:00', brightness: 0.3 }
    };
    expect(formDiffers(toForm(busy), busy)).toBe(false);
  });

  it('round-trips through the form', () => {
    const settings: ScreenSettings = { ...DEFAULT_SCREEN_SETTINGS, mode: 'devices', page_seconds: 20, plant_id: 'p-1' };
    expect({ ...settings, ...fromForm(toForm(settings)) }).toEqual(settings);
  });
});
