// Records every platform-specific optional package in package-lock.json, with the os/cpu/libc it
// is for. npm leaves out the ones its registry cannot resolve (a registry mirror without the
// other platforms' binaries), and `npm ci` then refuses the lock as out of sync. npm skips an
// entry whose os/cpu does not match the machine, so these entries are never downloaded here.
// Run after `npm install` changes the lock: `npm run lock:platforms`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['aix', 'android', 'darwin', 'freebsd', 'linux', 'netbsd', 'openbsd', 'openharmony', 'sunos', 'win32'];
const CPU = { arm64: 'arm64', aarch64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', mips64el: 'mips64el', wasm32: 'wasm32' };

function platformOf(name) {
  if (name === 'fsevents') return { os: ['darwin'] };
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((t) => OS.includes(t));
  if (!os) return null;
  const cpu = tokens.map((t) => CPU[t]).find(Boolean);
  const libc = tokens.some((t) => t.startsWith('musl')) ? ['musl'] : os === 'linux' && tokens.some((t) => t.startsWith('gnu')) ? ['glibc'] : undefined;
  return { os: [os], ...(cpu ? { cpu: [cpu] } : {}), ...(libc ? { libc } : {}) };
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    packages[`node_modules/${name}`] = { version: version.replace(/^[~^]/, ''), ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platforms: recorded ${added} platform packages`);
