// Dataloggers sending telemetry without pause, as real ones do through a store outage: each sends
// its next batch, and one answered 503 again later with the same batch_id (a shortened
// Retry-After, for tests). Every answer is kept, so that tests can check what was acknowledged.
import type { FastifyInstance } from 'fastify';
import { post, record } from '../helpers/fleet.ts';

export interface Answer {
  id: string;
  status: number;
  duplicate: boolean;
  retryAfter: string | undefined;
  message: string;
  /** When it was sent and answered, epoch ms. */
  sentAt: number;
  answeredAt: number;
}

export class Dataloggers {
  readonly #app: () => FastifyInstance;
  readonly #authorization: string;
  readonly #sns: string[];
  readonly #retryMs: number;
  #k = 0;
  #running = false;
  #halted = false;
  #loops: Promise<void>[] = [];
  /** Records per batch_id, for every batch made. */
  readonly sent = new Map<string, number>();
  readonly #payloads = new Map<string, ReturnType<Dataloggers['batch']>>();
  /** Batch ids answered 200. */
  readonly acknowledged = new Set<string>();
  readonly answers: Answer[] = [];
  /** Batches refused and not yet taken, per logger. */
  readonly #backlog: Map<number, ReturnType<Dataloggers['batch']>[]> = new Map();

  constructor(app: () => FastifyInstance, authorization: string, sns: string[], retryMs = 200) {
    this.#app = app;
    this.#authorization = authorization;
    this.#sns = sns;
    this.#retryMs = retryMs;
  }

  /** A batch with `perDevice` records for each device, later than any before. */
  batch(id: string, perDevice = 1) {
    const records = [];
    for (let i = 0; i < perDevice; i++, this.#k++) {
      const ts = new Date(Date.now() - 3 * 3_600_000 + this.#k * 100).toISOString();
      for (const sn of this.#sns) records.push(record(sn, ts, this.#k * 0.01, { power_w: 2000 + (this.#k % 1000) }));
    }
    this.sent.set(id, records.length);
    const payload = { batch_id: id, records };
    this.#payloads.set(id, payload);
    return payload;
  }

  /** The batch made earlier under this id, to send again. */
  batchAgain(id: string): ReturnType<Dataloggers['batch']> {
    return this.#payloads.get(id)!;
  }

  /** Sends a batch once and notes the answer. */
  async send(payload: ReturnType<Dataloggers['batch']>): Promise<Answer> {
    const sentAt = Date.now();
    const response = await post(this.#app(), this.#authorization, payload);
    const body = response.json() as { message?: string; duplicate?: boolean };
    const answer: Answer = {
      id: payload.batch_id,
      status: response.statusCode,
      duplicate: body.duplicate === true,
      retryAfter: response.headers['retry-after'] as string | undefined,
      message: body.message ?? '',
      sentAt,
      answeredAt: Date.now()
    };
    this.answers.push(answer);
    if (answer.status === 200) this.acknowledged.add(payload.batch_id);
    return answer;
  }

  /** Starts `count` loggers, each sending one batch after another, of `perDevice` records per device. */
  start(count: number, perDevice = 1): void {
    this.#running = true;
    for (let logger = 0; logger < count; logger++) {
      this.#backlog.set(logger, []);
      this.#loops.push(this.#run(logger, perDevice));
    }
  }

  /** Stops making new batches; resolves once every logger's backlog has been taken. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    this.#loops = [];
  }

  /** Stops at once, giving up what was refused (after a failed test, before the app closes). */
  async halt(): Promise<void> {
    this.#halted = true;
    this.#running = false;
    await Promise.allSettled(this.#loops);
    this.#loops = [];
  }

  async #run(logger: number, perDevice: number): Promise<void> {
    const backlog = this.#backlog.get(logger)!;
    for (let n = 0; !this.#halted && (this.#running || backlog.length > 0); n++) {
      const payload = backlog.shift() ?? this.batch(`logger-${logger}/${n}`, perDevice);
      const answer = await this.send(payload);
      if (answer.status === 503) {
        backlog.unshift(payload);
        await new Promise((resolve) => setTimeout(resolve, this.#retryMs));
      } else if (answer.status !== 200) {
        throw new Error(`batch ${payload.batch_id}: ${answer.status} ${answer.message}`);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}
