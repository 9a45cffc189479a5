// A plain MQTT client for tests: the other side of Hestia's API (a voice bridge, a device), which
// records everything it receives and can wait for a message.
import { randomUUID } from 'node:crypto';
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';

export interface ReceivedMessage {
  topic: string;
  payload: string;
  retain: boolean;
  correlationData?: string;
}

export class Probe {
  readonly messages: ReceivedMessage[] = [];
  readonly #client: MqttClient;
  #waiters: Array<() => void> = [];

  private constructor(client: MqttClient) {
    this.#client = client;
    // Reconnection failures while a broker is down are expected in these tests; keep them quiet.
    client.on('error', () => undefined);
    client.on('message', (topic, payload, packet) => {
      this.messages.push({
        topic,
        payload: payload.toString(),
        retain: packet.retain,
        ...(packet.properties?.correlationData ? { correlationData: packet.properties.correlationData.toString() } : {}),
      });
      for (const w of [...this.#waiters]) w();
    });
  }

  static async connect(url: string, options: { protocolVersion?: 4 | 5; clientId?: string; username?: string; password?: string } = {}): Promise<Probe> {
    const client = mqtt.connect(url, {
      protocolVersion: options.protocolVersion ?? 4,
      clientId: options.clientId ?? `probe-${randomUUID().slice(0, 8)}`,
      reconnectPeriod: 100,
      connectTimeout: 5000,
      ...(options.username ? { username: options.username, password: options.password ?? '' } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    return new Probe(client);
  }

  async subscribe(...filters: string[]): Promise<void> {
    await this.#client.subscribeAsync(filters, { qos: 1 });
  }

  async publish(topic: string, payload: string | Buffer | object, options: IClientPublishOptions = {}): Promise<void> {
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    await this.#client.publishAsync(topic, body, { qos: 1, ...options });
  }

  /** The first message (already received or still to come) that satisfies the predicate. */
  async waitFor(predicate: (m: ReceivedMessage) => boolean, timeoutMs = 5000, what = 'message'): Promise<ReceivedMessage> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = until - Date.now();
      if (left <= 0) {
        const seen = this.messages.map((m) => `${m.topic} ${m.payload.slice(0, 120)}`).join('\n  ');
        throw new Error(`no ${what} within ${timeoutMs} ms; received:\n  ${seen || '(nothing)'}`);
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((w) => w !== done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.#waiters.push(done);
      });
    }
  }

  /** The reply (parsed) whose id is `id`. */
  async reply<T = Record<string, unknown>>(id: string, timeoutMs = 5000): Promise<T & { topic: string }> {
    const m = await this.waitFor((x) => x.topic.includes('/reply/') && safeId(x.payload) === id, timeoutMs, `reply to ${id}`);
    return { ...(JSON.parse(m.payload) as T), topic: m.topic };
  }

  on(topicPrefix: string): ReceivedMessage[] {
    return this.messages.filter((m) => m.topic.startsWith(topicPrefix));
  }

  async close(): Promise<void> {
    await this.#client.endAsync(true);
  }
}

function safeId(payload: string): unknown {
  try {
    return (JSON.parse(payload) as { id?: unknown }).id;
  } catch {
    return undefined;
  }
}
