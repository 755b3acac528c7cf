// The demo fleet: one distributor, its installers, their customers and the customers' plants
// and devices, all derived from a seed so the same seed always yields the same registry.
import type { Device, Plant, Tenant } from '../model.ts';
import { CITIES, type City, type Region } from './cities.ts';
import { mulberry32 } from './random.ts';

export interface DemoFleet {
  tenants: Tenant[];
  plants: Plant[];
  devices: Device[];
}

export const DEMO_DISTRIBUTOR_ID = 'demo-dist';

const PLANT_COUNT = 150;
const MIN_KW = 5;
const MAX_KW = 2000;

interface InstallerSpec {
  id: string;
  name: string;
  region: Region;
  timezone: string;
  customers: number;
  surnames: string[];
  firstNames: string[];
}

const INSTALLERS: InstallerSpec[] = [
  {
    id: 'demo-inst-eu', name: 'SonnenWerk Installations', region: 'europe', timezone: 'Europe/Berlin', customers: 10,
    surnames: ['Müller', 'García', 'Rossi', 'Dubois', 'Kowalski', 'Novak', 'Lindqvist', 'Murphy', 'Silva', 'Bauer'],
    firstNames: ['Anna', 'Lukas', 'Sofia', 'Marco', 'Claire', 'Jan', 'Elena', 'Pablo', 'Ingrid', 'Tomás'],
  },
  {
    id: 'demo-inst-am', name: 'Sunbelt Solar Services', region: 'americas', timezone: 'America/Los_Angeles', customers: 9,
    surnames: ['Johnson', 'Martinez', 'Oliveira', 'Thompson', 'Hernández', 'Walker', 'Souza', 'Campbell', 'Rojas'],
    firstNames: ['Emily', 'Carlos', 'Ana', 'Michael', 'Lucía', 'David', 'Beatriz', 'James', 'Valentina'],
  },
  {
    id: 'demo-inst-pac', name: 'Southern Cross Energy', region: 'pacific', timezone: 'Australia/Sydney', customers: 7,
    surnames: ['Wilson', 'Ngata', 'Taylor', 'Fonoti', 'Brown', 'Kealoha', 'Singh'],
    firstNames: ['Olivia', 'Tane', 'Jack', 'Mele', 'Charlotte', 'Kai', 'Harper'],
  },
  {
    id: 'demo-inst-as', name: 'Asia Pacific PV Engineering', region: 'asia', timezone: 'Asia/Singapore', customers: 8,
    surnames: ['Wang', 'Tanaka', 'Kim', 'Sharma', 'Nguyen', 'Santos', 'Tan', 'Wijaya'],
    firstNames: ['Li', 'Yuki', 'Min-jun', 'Priya', 'Linh', 'Miguel', 'Wei', 'Putri'],
  },
  {
    id: 'demo-inst-mea', name: 'Savanna & Desert Power', region: 'mea', timezone: 'Asia/Dubai', customers: 6,
    surnames: ['Naidoo', 'Al Mansouri', 'Okafor', 'Mensah', 'Haddad', 'Kamau'],
    firstNames: ['Thabo', 'Fatima', 'Chinedu', 'Ama', 'Youssef', 'Wanjiru'],
  },
];

const BUSINESS_KINDS = ['Farms', 'Logistics', 'Dairy', 'Hotels', 'Manufacturing', 'Retail', 'Winery', 'Holdings'];

// ITU calling codes for the countries in cities.ts, for made-up contact numbers.
const CALLING_CODES: Record<string, string> = {
  ES: '34', PT: '351', DE: '49', FR: '33', IT: '39', AT: '43', CH: '41', NL: '31', PL: '48', GR: '30',
  SE: '46', GB: '44', IE: '353', TR: '90', US: '1', CA: '1', MX: '52', BR: '55', CL: '56', AR: '54',
  UY: '598', PE: '51', CO: '57', IN: '91', CN: '86', JP: '81', KR: '82', SG: '65', TH: '66', VN: '84',
  PH: '63', ID: '62', AE: '971', SA: '966', PK: '92', ZA: '27', NA: '264', KE: '254', NG: '234',
  GH: '233', EG: '20', MA: '212', AU: '61', NZ: '64', FJ: '679', TO: '676', WS: '685', AS: '1',
};

// Catalogue ratings in kW, per product family.
const RESIDENTIAL_KW = [3, 3.6, 4, 5, 6, 8, 10, 12, 15];
const COMMERCIAL_KW = [20, 25, 30, 36, 40, 50, 60, 75, 100, 110, 125];
const UTILITY_KW = [150, 185, 215, 250, 275, 320];
const HYBRID_KW = [5, 6, 8, 10, 12, 15, 20, 30, 50, 100];
const CHARGER_KW = [7.4, 11, 22];
/** DC nameplate over AC rating: plants are built with more panels than inverter rating. */
const DC_AC_RATIO = 1.15;

export function buildDemoFleet(seed = 1): DemoFleet {
  const rand = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const digits = (n: number): string => Array.from({ length: n }, () => int(0, 9)).join('');
  const usedSerials = new Set<string>();
  const serial = (prefix: string, length: number): string => {
    for (;;) {
      const sn = prefix + digits(length);
      if (!usedSerials.has(sn)) {
        usedSerials.add(sn);
        return sn;
      }
    }
  };

  const tenants: Tenant[] = [
    { id: DEMO_DISTRIBUTOR_ID, name: 'Helios Distribution', parent_id: null, kind: 'distributor', timezone: 'Europe/Berlin',
      contact: { name: 'Greta Hoffmann', email: 'greta.hoffmann@helios-distribution.example', phone: '+49 89 5550 1200' } },
  ];

  interface CustomerSlot { tenant: Tenant; surname: string; home: City; region: Region }
  const customers: CustomerSlot[] = [];
  for (const spec of INSTALLERS) {
    const regionCities = CITIES.filter((c) => c.region === spec.region);
    const office = regionCities.find((c) => c.timezone === spec.timezone) ?? regionCities[0]!;
    const domain = spec.name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '') + '.example';
    tenants.push({
      id: spec.id, name: spec.name, parent_id: DEMO_DISTRIBUTOR_ID, kind: 'installer', timezone: spec.timezone,
      contact: { name: `${spec.firstNames[0]} ${spec.surnames[0]}`, email: `service@${domain}`, phone: phone(office, digits) },
    });
    for (let i = 0; i < spec.customers; i++) {
      const surname = spec.surnames[i % spec.surnames.length]!;
      const first = pick(spec.firstNames);
      const home = pick(regionCities);
      const business = rand() < 0.45;
      const name = business ? `${surname} ${pick(BUSINESS_KINDS)}` : `${first} ${surname}`;
      const tenant: Tenant = {
        id: `demo-cust-${String(customers.length + 1).padStart(2, '0')}`,
        name, parent_id: spec.id, kind: 'customer', timezone: home.timezone,
        contact: { name: `${first} ${surname}`, email: `${ascii(first)}.${ascii(surname)}@mail.example`, phone: phone(home, digits) },
      };
      tenants.push(tenant);
      customers.push({ tenant, surname, home, region: spec.region });
    }
  }

  // Every customer owns at least one plant; the rest go to a few customers with many sites.
  const owners: CustomerSlot[] = [...customers];
  const weights = customers.map(() => rand() ** 3);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  while (owners.length < PLANT_COUNT) {
    let r = rand() * totalWeight;
    let i = 0;
    while (i < weights.length - 1 && r >= weights[i]!) r -= weights[i++]!;
    owners.push(customers[i]!);
  }

  const plants: Plant[] = [];
  const devices: Device[] = [];
  const plantNames = new Set<string>();
  owners.forEach((owner, index) => {
    const city = rand() < 0.7 ? owner.home : pick(CITIES.filter((c) => c.region === owner.region));
    const capacityKw = roundCapacity(Math.exp(Math.log(MIN_KW) + rand() * Math.log(MAX_KW / MIN_KW)));
    const id = `demo-plant-${String(index + 1).padStart(3, '0')}`;
    const builtOn = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 3653) * 86_400_000).toISOString().slice(0, 10);
    // About 15 km of scatter around the city centre.
    const lat = round(city.lat + (rand() - 0.5) * 0.27, 4);
    const lon = round(wrapLon(city.lon + (rand() - 0.5) * 0.27 / Math.cos((city.lat * Math.PI) / 180)), 4);
    const plant: Plant = {
      id, tenant_id: owner.tenant.id, name: uniqueName(plantName(owner.surname, city, capacityKw, pick), plantNames),
      lat, lon, timezone: city.timezone, capacity_kw: capacityKw, country: city.country, city: city.name, built_on: builtOn,
    };
    plants.push(plant);

    const logger = serial('DL', 8);
    const hasStorage = rand() < 0.3;
    const hasCharger = rand() < 0.15;
    let acKw = capacityKw / DC_AC_RATIO;
    if (hasStorage) {
      // The hybrid inverter carries part of the array and the battery.
      const hybridKw = ceilTo(HYBRID_KW, Math.max(acKw * 0.35, 5));
      acKw = Math.max(acKw - hybridKw, acKw * 0.5);
      devices.push({ sn: serial('HS', 10), plant_id: id, kind: 'storage', rated_power_w: hybridKw * 1000,
        model: `Helios HYD-${hybridKw}K + BAT-${hybridKw * 2}`, datalogger_sn: logger });
    }
    for (const ratingKw of inverterRatings(acKw, rand)) {
      devices.push({ sn: serial('HX', 10), plant_id: id, kind: 'inverter', rated_power_w: Math.round(ratingKw * 1000),
        model: inverterModel(ratingKw), datalogger_sn: logger });
    }
    if (hasCharger) {
      const chargers = capacityKw > 100 && rand() < 0.5 ? 2 : 1;
      const kw = capacityKw < 20 ? pick(CHARGER_KW.slice(0, 2)) : pick(CHARGER_KW);
      for (let c = 0; c < chargers; c++) {
        devices.push({ sn: serial('HC', 10), plant_id: id, kind: 'charger', rated_power_w: Math.round(kw * 1000),
          model: `Helios EVC-${kw}K`, datalogger_sn: logger });
      }
    }
  });

  return { tenants, plants, devices };
}

/** 1–8 inverters of one catalogue rating whose sum covers the AC capacity. */
function inverterRatings(acKw: number, rand: () => number): number[] {
  let count = acKw <= 15 ? 1 : Math.min(8, Math.ceil(acKw / (acKw <= 500 ? 125 : 320)));
  // Installers often prefer one more, smaller unit.
  if (acKw > 15 && count < 8 && rand() < 0.4) count++;
  const perUnit = acKw / count;
  const family = perUnit <= 15 ? RESIDENTIAL_KW : perUnit <= 125 ? COMMERCIAL_KW : UTILITY_KW;
  return Array.from({ length: count }, () => ceilTo(family, perUnit));
}

function inverterModel(kw: number): string {
  if (kw <= 15) return `Helios SUN-${kw}K-G`;
  if (kw <= 125) return `Helios SUN-${kw}K-G03`;
  return `Helios SUN-${kw}K-HV`;
}

function plantName(surname: string, city: City, kw: number, pick: <T>(items: readonly T[]) => T): string {
  if (kw < 20) return `${surname} Residence ${city.name}`;
  if (kw < 500) return `${city.name} ${pick(['Rooftop', 'Warehouse', 'Carport', 'Barn', 'Factory Roof', 'School'])}`;
  return `${city.name} ${pick(['Solar Park', 'Solar Farm', 'PV Station'])}`;
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name} ${n}`;
  used.add(candidate);
  return candidate;
}

function phone(city: City, digits: (n: number) => string): string {
  return `+${CALLING_CODES[city.country] ?? '1'} 555 ${digits(3)} ${digits(4)}`;
}

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** The smallest catalogue entry at least `kw`, or the largest. */
function ceilTo(catalogue: readonly number[], kw: number): number {
  return catalogue.find((c) => c >= kw - 1e-9) ?? catalogue[catalogue.length - 1]!;
}

function roundCapacity(kw: number): number {
  if (kw < 20) return round(kw, 1);
  if (kw < 200) return Math.round(kw);
  return Math.round(kw / 5) * 5;
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function wrapLon(lon: number): number {
  return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
}
