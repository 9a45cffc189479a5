// The broker Hestia starts for itself when no mqtt.url is configured, so `npm start` works on a
// fresh machine: aedes (MQTT 3.1.1) on 127.0.0.1, in memory, living and dying with the daemon.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { HestiaError } from '../errors.js';
import type { Logger } from '../log/logger.js';

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  log: Logger;
}

export class EmbeddedBroker {
  readonly #options: EmbeddedBrokerOptions;
  #broker: Aedes | undefined;
  #server: Server | undefined;
  #port = 0;

  constructor(options: EmbeddedBrokerOptions) {
    this.#options = options;
  }

  /** The URL clients use; valid after start(). */
  get url(): string {
    const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
    return `mqtt://${host}:${this.#port}`;
  }

  async start(): Promise<void> {
    if (this.#broker) return;
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.#options.port, this.#options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (cause) {
      await new Promise<void>((r) => broker.close(() => r()));
      const code = (cause as NodeJS.ErrnoException).code;
      const hint = code === 'EADDRINUSE' ? ' (is another broker running there? then set mqtt.url to use it)' : '';
      throw new HestiaError(
        'HESTIA_BAD_CONFIG',
        `cannot start the embedded broker on ${this.#options.host}:${this.#options.port}: ${(cause as Error).message}${hint}`,
        { cause },
      );
    }
    this.#broker = broker;
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    this.#options.log.info({ url: this.url }, 'embedded MQTT broker listening');
  }

  /** Closes every client connection and the listening socket. Safe to call twice. */
  async stop(): Promise<void> {
    const broker = this.#broker;
    const server = this.#server;
    this.#broker = undefined;
    this.#server = undefined;
    if (broker) await new Promise<void>((r) => broker.close(() => r()));
    if (server) await new Promise<void>((r) => server.close(() => r()));
    if (broker) this.#options.log.info('embedded MQTT broker stopped');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
