// The daemon's one MQTT connection (mqtt.js): QoS 1 on a persistent session so requests sent while
// Hestia restarts wait at the broker, retained `online`/`offline` on `<prefix>/status` with
// `offline` as Last Will, reconnection with a fixed back-off, and the request subscription renewed
// on every connect. Publishing goes through the typed topic map (wire.ts).
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { HestiaError } from '../errors.js';
import { redactUrl, type Logger } from '../log/logger.js';
import { encodeMessage, publishableTopic, topicsFor, type HestiaTopics, type TopicKind } from './wire.js';

/** CONNACK codes for a refused login: 4 and 5 in MQTT 3.1.1, 134 and 135 in MQTT 5. */
const LOGIN_REFUSED = new Set([4, 5, 134, 135]);

export interface MqttConnectionOptions {
  url: string;
  protocolVersion: 4 | 5;
  clientId: string;
  username?: string;
  password?: string;
  topicPrefix: string;
  /** false (the default in Hestia's config): the broker keeps subscriptions and queued requests. */
  clean: boolean;
  keepaliveS: number;
  /** MQTT 5 only: how long the broker keeps the session after a disconnect. */
  sessionExpiryS: number;
  reconnectPeriodMs: number;
  connectTimeoutMs: number;
  log: Logger;
}

/** A message on the request topic, with the MQTT 5 reply hints if the sender gave them. */
export interface IncomingRequest {
  payload: Buffer;
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface PublishOptions {
  retain?: boolean;
  /** MQTT 5: echoed back to the requester with its reply. */
  correlationData?: Buffer;
  /** Give up (and withdraw the message if it is still queued) when this aborts. */
  signal?: AbortSignal;
}

export class MqttConnection {
  readonly #options: MqttConnectionOptions;
  readonly #onRequest: (message: IncomingRequest) => void;
  readonly #topics: ReturnType<typeof topicsFor>;
  readonly #log: Logger;
  #client: MqttClient | undefined;
  #lastError = '';
  #stopped = false;
  /** Subscribing and announcing after the latest connect. */
  #ready: Promise<void> | undefined;

  constructor(options: MqttConnectionOptions, onRequest: (message: IncomingRequest) => void) {
    this.#options = options;
    this.#onRequest = onRequest;
    this.#topics = topicsFor(options.topicPrefix);
    this.#log = options.log.child({ component: 'mqtt' });
  }

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  get protocolVersion(): 4 | 5 {
    return this.#options.protocolVersion;
  }

  /** Connects, subscribes and announces `online`; keeps retrying until then, or until `signal` aborts. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#client) throw new Error('MqttConnection already started');
    const o = this.#options;
    const clientOptions: IClientOptions = {
      protocolVersion: o.protocolVersion,
      clientId: o.clientId,
      clean: o.clean,
      keepalive: o.keepaliveS,
      reconnectPeriod: o.reconnectPeriodMs,
      connectTimeout: o.connectTimeoutMs,
      // Subscribing again on every connect is done below, explicitly, for persistent sessions too.
      resubscribe: false,
      will: { topic: this.#topics.status, payload: Buffer.from(encodeMessage('status', 'offline')), qos: 1, retain: true },
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.protocolVersion === 5 && !o.clean ? { properties: { sessionExpiryInterval: o.sessionExpiryS } } : {}),
    };
    const client = mqtt.connect(o.url, clientOptions);
    this.#client = client;
    client.on('connect', (connack) => {
      this.#lastError = '';
      this.#log.info({ url: redactUrl(o.url), session_present: connack.sessionPresent, protocol_version: o.protocolVersion }, 'connected to MQTT broker');
      this.#ready = this.#onConnect(client);
      this.#ready.catch((err: unknown) => this.#log.error({ err }, 'could not subscribe or announce online'));
    });
    client.on('message', (topic, payload, packet) => this.#onMessage(topic, payload, packet));
    client.on('close', () => {
      if (!this.#stopped) this.#log.warn({ url: redactUrl(o.url) }, 'disconnected from MQTT broker; reconnecting');
    });
    client.on('error', (err) => {
      // A broker that is down fails every attempt the same way; say it once per outage.
      if (err.message !== this.#lastError) this.#log.warn({ err: { message: err.message } }, 'MQTT connection problem');
      this.#lastError = err.message;
    });
    try {
      await this.#firstReady(client, signal);
    } catch (err) {
      await this.#end(true);
      throw err;
    }
  }

  /**
   * Resolves once the first connection is subscribed and announced. Fails at once (no retrying)
   * when the broker refuses the login or the subscription: those need a person, not a retry.
   */
  #firstReady(client: MqttClient, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: Error): void => {
        client.off('connect', onConnect);
        client.off('error', onError);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onConnect = (): void => {
        this.#ready?.then(() => settle(), (err: unknown) => settle(err instanceof Error ? err : new Error(String(err))));
      };
      const onError = (err: Error & { code?: unknown }): void => {
        if (typeof err.code !== 'number' || !LOGIN_REFUSED.has(err.code)) return;
        const why = `the broker at ${redactUrl(this.#options.url)} refused the login (${err.message})`;
        settle(new HestiaError('HESTIA_BROKER_UNREACHABLE', `${why}: check HESTIA_MQTT_USERNAME and HESTIA_MQTT_PASSWORD or mqtt.password_file`, { cause: err }));
      };
      const onAbort = (): void => settle(abortError(signal));
      // Registered after the permanent 'connect' handler above, so #ready is already set when this runs.
      client.on('connect', onConnect);
      client.on('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Publishes a Hestia message (typed by topic kind) at QoS 1; resolves when the broker has it. */
  publishMessage<K extends TopicKind>(kind: K, topic: string, message: HestiaTopics[K], options: PublishOptions = {}): Promise<void> {
    return this.publishRaw(topic, encodeMessage(kind, message), options);
  }

  /** Publishes bytes at QoS 1; resolves on PUBACK, rejects on a refusal, an invalid topic or abort. */
  publishRaw(topic: string, payload: string | Buffer, options: PublishOptions = {}): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.reject(new HestiaError('HESTIA_EXECUTION_FAILED', 'not connected to a broker'));
    if (!publishableTopic(topic)) {
      return Promise.reject(new HestiaError('HESTIA_EXECUTION_FAILED', `invalid topic ${JSON.stringify(topic)}`));
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        // Still waiting for the broker: withdraw the message so it is not sent late after a reconnect.
        for (const [id, entry] of Object.entries(client.outgoing)) {
          if (entry?.cb === done) client.removeOutgoingMessage(Number(id));
        }
        reject(abortError(signal));
      };
      function done(err?: Error): void {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(new HestiaError('HESTIA_EXECUTION_FAILED', err.message, { cause: err }));
        else resolve();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const properties = options.correlationData && this.#options.protocolVersion === 5 ? { correlationData: options.correlationData } : undefined;
      client.publish(topic, payload, { qos: 1, retain: options.retain ?? false, ...(properties ? { properties } : {}) }, done);
    });
  }

  /** Announces `offline` (retained), disconnects cleanly (so the Last Will is not sent). Safe twice. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const client = this.#client;
    if (!client) return;
    if (client.connected) {
      const announced = this.publishMessage('status', this.#topics.status, 'offline', { retain: true, signal: AbortSignal.timeout(2000) });
      await announced.catch((err: unknown) => this.#log.warn({ err }, 'could not announce offline'));
      await this.#end(false);
    } else {
      await this.#end(true);
    }
    this.#log.info('disconnected from MQTT broker');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #onConnect(client: MqttClient): Promise<void> {
    // A refusal comes back in the SUBACK (0x80 and up); mqtt.js turns most of them into an error.
    const refused = (why: string): HestiaError =>
      new HestiaError('HESTIA_BROKER_UNREACHABLE', `the broker refused Hestia's subscription to ${this.#topics.request} (${why}; check its ACL for this user)`);
    const granted = await client.subscribeAsync(this.#topics.request, { qos: 1 }).catch((err: unknown) => {
      throw refused(err instanceof Error ? err.message : String(err));
    });
    if (granted.some((g) => g.qos >= 0x80)) throw refused(`reason code ${granted[0]?.qos ?? '?'}`);
    await this.publishMessage('status', this.#topics.status, 'online', { retain: true });
  }

  #onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (topic !== this.#topics.request) return;
    const props = packet.properties;
    this.#onRequest({
      payload,
      ...(props?.responseTopic ? { responseTopic: props.responseTopic } : {}),
      ...(props?.correlationData ? { correlationData: props.correlationData } : {}),
    });
  }

  async #end(force: boolean): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const ended = client.endAsync(force);
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), 3000).unref());
    if ((await Promise.race([ended, timer])) === 'late') await client.endAsync(true);
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
