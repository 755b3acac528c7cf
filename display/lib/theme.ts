import controlRoom from '$themes/control-room.json';
import type { Theme } from '$themes/schema.ts';

// The only theme for now; per-tenant themes will arrive with the snapshot's branding.
export const theme: Theme = controlRoom;
