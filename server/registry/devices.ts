// The registry's devices in columns indexed by a dense device number: a million devices are a
// map from serial number to number and a few arrays, not a million objects. Reads hand out a
// Device object made on the spot; strings that repeat (plant ids, models) are shared.
import type { Device, DeviceKind } from '../model.ts';

const KINDS: DeviceKind[] = ['inverter', 'storage', 'charger'];

export class DeviceTable implements Pick<ReadonlyMap<string, Device>, 'get' | 'has' | 'size'> {
  readonly #index = new Map<string, number>();
  readonly #plant: string[] = [];
  #kind = new Uint8Array(1024);
  #rated = new Float64Array(1024);
  readonly #model: (string | undefined)[] = [];
  readonly #logger: (string | undefined)[] = [];
  readonly #models = new Map<string, string>();

  get size(): number {
    return this.#index.size;
  }

  has(sn: string): boolean {
    return this.#index.has(sn);
  }

  get(sn: string): Device | undefined {
    const i = this.#index.get(sn);
    if (i === undefined) return undefined;
    const device: Device = { sn, plant_id: this.#plant[i], kind: KINDS[this.#kind[i]], rated_power_w: this.#rated[i] };
    if (this.#model[i] !== undefined) device.model = this.#model[i];
    if (this.#logger[i] !== undefined) device.datalogger_sn = this.#logger[i];
    return device;
  }

  /** The plant a device belongs to, without making its object (the hot path of ingest). */
  plantOf(sn: string): string | undefined {
    const i = this.#index.get(sn);
    return i === undefined ? undefined : this.#plant[i];
  }

  /** Stores a device; `plantId` should be the plant's own id string, so that it is shared. */
  set(device: Device, plantId: string): void {
    let i = this.#index.get(device.sn);
    if (i === undefined) {
      i = this.#index.size;
      this.#index.set(device.sn, i);
      if (i >= this.#kind.length) {
        const kind = new Uint8Array(this.#kind.length * 2);
        kind.set(this.#kind);
        this.#kind = kind;
        const rated = new Float64Array(this.#rated.length * 2);
        rated.set(this.#rated);
        this.#rated = rated;
      }
    }
    this.#plant[i] = plantId;
    this.#kind[i] = KINDS.indexOf(device.kind);
    this.#rated[i] = device.rated_power_w;
    this.#model[i] = device.model === undefined ? undefined : this.#intern(device.model);
    this.#logger[i] = device.datalogger_sn;
  }

  #intern(model: string): string {
    let shared = this.#models.get(model);
    if (shared === undefined) this.#models.set(model, (shared = model));
    return shared;
  }
}
