// Real cities the demo fleet is placed around: every inhabited continent, time zones from
// UTC-10 to UTC+13, and islands on both sides of the date line (Apia and Nuku'alofa are a
// calendar day ahead of Honolulu and Pago Pago while lying a few degrees of longitude apart).

export type Continent = 'Europe' | 'Asia' | 'Africa' | 'North America' | 'South America' | 'Oceania';

/** The sales region of the installer that serves a city. */
export type Region = 'europe' | 'americas' | 'asia' | 'mea' | 'pacific';

export interface City {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  lat: number;
  lon: number;
  /** IANA time zone. */
  timezone: string;
  continent: Continent;
  region: Region;
}

const eu = (name: string, country: string, lat: number, lon: number, timezone: string): City =>
  ({ name, country, lat, lon, timezone, continent: 'Europe', region: 'europe' });
const na = (name: string, country: string, lat: number, lon: number, timezone: string): City =>
  ({ name, country, lat, lon, timezone, continent: 'North America', region: 'americas' });
const sa = (name: string, country: string, lat: number, lon: number, timezone: string): City =>
  ({ name, country, lat, lon, timezone, continent: 'South America', region: 'americas' });
const as = (name: string, country: string, lat: number, lon: number, timezone: string): City =>
  ({ name, country, lat, lon, timezone, continent: 'Asia', region: 'asia' });
const me = (name: string, country: string, lat: number, lon: number, timezone: string): City =>
  ({ name, country, lat, lon, timezone, continent: 'Asia', region: 'mea' });
const af = (name: string, country: string, lat: number, lon: number, timezone: string): City =>
  ({ name, country, lat, lon, timezone, continent: 'Africa', region: 'mea' });
const oc = (name: string, country: string, lat: number, lon: number, timezone: string): City =>
  ({ name, country, lat, lon, timezone, continent: 'Oceania', region: 'pacific' });

export const CITIES: readonly City[] = [
  eu('Madrid', 'ES', 40.4168, -3.7038, 'Europe/Madrid'),
  eu('Seville', 'ES', 37.3891, -5.9845, 'Europe/Madrid'),
  eu('Lisbon', 'PT', 38.7223, -9.1393, 'Europe/Lisbon'),
  eu('Munich', 'DE', 48.1351, 11.582, 'Europe/Berlin'),
  eu('Berlin', 'DE', 52.52, 13.405, 'Europe/Berlin'),
  eu('Hamburg', 'DE', 53.5511, 9.9937, 'Europe/Berlin'),
  eu('Freiburg', 'DE', 47.999, 7.8421, 'Europe/Berlin'),
  eu('Paris', 'FR', 48.8566, 2.3522, 'Europe/Paris'),
  eu('Lyon', 'FR', 45.764, 4.8357, 'Europe/Paris'),
  eu('Milan', 'IT', 45.4642, 9.19, 'Europe/Rome'),
  eu('Rome', 'IT', 41.9028, 12.4964, 'Europe/Rome'),
  eu('Vienna', 'AT', 48.2082, 16.3738, 'Europe/Vienna'),
  eu('Zurich', 'CH', 47.3769, 8.5417, 'Europe/Zurich'),
  eu('Amsterdam', 'NL', 52.3676, 4.9041, 'Europe/Amsterdam'),
  eu('Warsaw', 'PL', 52.2297, 21.0122, 'Europe/Warsaw'),
  eu('Athens', 'GR', 37.9838, 23.7275, 'Europe/Athens'),
  eu('Stockholm', 'SE', 59.3293, 18.0686, 'Europe/Stockholm'),
  eu('London', 'GB', 51.5074, -0.1278, 'Europe/London'),
  eu('Dublin', 'IE', 53.3498, -6.2603, 'Europe/Dublin'),
  eu('Istanbul', 'TR', 41.0082, 28.9784, 'Europe/Istanbul'),

  na('Los Angeles', 'US', 34.0522, -118.2437, 'America/Los_Angeles'),
  na('San Diego', 'US', 32.7157, -117.1611, 'America/Los_Angeles'),
  na('Phoenix', 'US', 33.4484, -112.074, 'America/Phoenix'),
  na('Denver', 'US', 39.7392, -104.9903, 'America/Denver'),
  na('Austin', 'US', 30.2672, -97.7431, 'America/Chicago'),
  na('Chicago', 'US', 41.8781, -87.6298, 'America/Chicago'),
  na('New York', 'US', 40.7128, -74.006, 'America/New_York'),
  na('Miami', 'US', 25.7617, -80.1918, 'America/New_York'),
  na('Toronto', 'CA', 43.6532, -79.3832, 'America/Toronto'),
  na('Vancouver', 'CA', 49.2827, -123.1207, 'America/Vancouver'),
  na('Mexico City', 'MX', 19.4326, -99.1332, 'America/Mexico_City'),
  na('Anchorage', 'US', 61.2181, -149.9003, 'America/Anchorage'),
  sa('São Paulo', 'BR', -23.5505, -46.6333, 'America/Sao_Paulo'),
  sa('Rio de Janeiro', 'BR', -22.9068, -43.1729, 'America/Sao_Paulo'),
  sa('Santiago', 'CL', -33.4489, -70.6693, 'America/Santiago'),
  sa('Buenos Aires', 'AR', -34.6037, -58.3816, 'America/Argentina/Buenos_Aires'),
  sa('Montevideo', 'UY', -34.9011, -56.1645, 'America/Montevideo'),
  sa('Lima', 'PE', -12.0464, -77.0428, 'America/Lima'),
  sa('Bogotá', 'CO', 4.711, -74.0721, 'America/Bogota'),

  as('Delhi', 'IN', 28.6139, 77.209, 'Asia/Kolkata'),
  as('Mumbai', 'IN', 19.076, 72.8777, 'Asia/Kolkata'),
  as('Bengaluru', 'IN', 12.9716, 77.5946, 'Asia/Kolkata'),
  as('Shanghai', 'CN', 31.2304, 121.4737, 'Asia/Shanghai'),
  as('Beijing', 'CN', 39.9042, 116.4074, 'Asia/Shanghai'),
  as('Shenzhen', 'CN', 22.5431, 114.0579, 'Asia/Shanghai'),
  as('Tokyo', 'JP', 35.6762, 139.6503, 'Asia/Tokyo'),
  as('Osaka', 'JP', 34.6937, 135.5023, 'Asia/Tokyo'),
  as('Seoul', 'KR', 37.5665, 126.978, 'Asia/Seoul'),
  as('Singapore', 'SG', 1.3521, 103.8198, 'Asia/Singapore'),
  as('Bangkok', 'TH', 13.7563, 100.5018, 'Asia/Bangkok'),
  as('Ho Chi Minh City', 'VN', 10.8231, 106.6297, 'Asia/Ho_Chi_Minh'),
  as('Manila', 'PH', 14.5995, 120.9842, 'Asia/Manila'),
  as('Jakarta', 'ID', -6.2088, 106.8456, 'Asia/Jakarta'),
  me('Dubai', 'AE', 25.2048, 55.2708, 'Asia/Dubai'),
  me('Riyadh', 'SA', 24.7136, 46.6753, 'Asia/Riyadh'),
  me('Karachi', 'PK', 24.8607, 67.0011, 'Asia/Karachi'),

  af('Johannesburg', 'ZA', -26.2041, 28.0473, 'Africa/Johannesburg'),
  af('Cape Town', 'ZA', -33.9249, 18.4241, 'Africa/Johannesburg'),
  af('Windhoek', 'NA', -22.5609, 17.0658, 'Africa/Windhoek'),
  af('Nairobi', 'KE', -1.2921, 36.8219, 'Africa/Nairobi'),
  af('Lagos', 'NG', 6.5244, 3.3792, 'Africa/Lagos'),
  af('Accra', 'GH', 5.6037, -0.187, 'Africa/Accra'),
  af('Cairo', 'EG', 30.0444, 31.2357, 'Africa/Cairo'),
  af('Casablanca', 'MA', 33.5731, -7.5898, 'Africa/Casablanca'),

  oc('Sydney', 'AU', -33.8688, 151.2093, 'Australia/Sydney'),
  oc('Melbourne', 'AU', -37.8136, 144.9631, 'Australia/Melbourne'),
  oc('Brisbane', 'AU', -27.4698, 153.0251, 'Australia/Brisbane'),
  oc('Adelaide', 'AU', -34.9285, 138.6007, 'Australia/Adelaide'),
  oc('Perth', 'AU', -31.9505, 115.8605, 'Australia/Perth'),
  oc('Auckland', 'NZ', -36.8485, 174.7633, 'Pacific/Auckland'),
  oc('Christchurch', 'NZ', -43.5321, 172.6362, 'Pacific/Auckland'),
  oc('Suva', 'FJ', -18.1248, 178.4501, 'Pacific/Fiji'),
  oc("Nuku'alofa", 'TO', -21.1394, -175.2049, 'Pacific/Tongatapu'),
  oc('Apia', 'WS', -13.8507, -171.7514, 'Pacific/Apia'),
  oc('Pago Pago', 'AS', -14.2756, -170.702, 'Pacific/Pago_Pago'),
  oc('Honolulu', 'US', 21.3069, -157.8583, 'Pacific/Honolulu'),
];
