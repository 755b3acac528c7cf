// The city table the Vite plugin (display/vite-plugins/cities-plugin.ts) generates at build time.
declare module 'virtual:fleetwall/cities' {
  import type { CityTable } from '$lib/map/cities.ts';
  const table: CityTable;
  export default table;
}
