// Asking a running Hestia over MQTT, as `hestia say` does (and any script could): publish a request,
// wait for its one reply. With an MQTT 5 broker the reply comes to a private response topic with
// the request id as correlation data; with a 3.1.1 broker (the embedded one) it comes on
// `<prefix>/reply/<site|default>` and is recognised by its id.
import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { HestiaError } from '../errors.js';
import { redactUrl } from '../log/logger.js';
import { encodeMessage, topicsFor, type ReplyMessage, type RequestMessage, type StatusMessage } from './wire.js';

export interface AskOptions {
  url: string;
  topicPrefix: string;
  username?: string;
  password?: string;
  /** How long to wait for the broker and then for the reply. */
  timeoutMs: number;
  /** Which MQTT version to speak; by default 5, falling back to 4 when the broker refuses 5. */
  protocolVersion?: 4 | 5;
  signal?: AbortSignal;
}

export interface Answer {
  reply: ReplyMessage;
  protocolVersion: 4 | 5;
}

/** A fresh request id for a client that has none of its own. */
export function newRequestId(prefix = 'cli'): string {
  return `${prefix}-${randomUUID()}`;
}

export async function askHestia(message: RequestMessage, options: AskOptions): Promise<Answer> {
  const deadline = Date.now() + options.timeoutMs;
  const { client, version } = await connect(options, deadline);
  try {
    const reply = await exchange(client, version, message, options, deadline);
    return { reply, protocolVersion: version };
  } finally {
    await client.endAsync(true);
  }
}

async function connect(options: AskOptions, deadline: number): Promise<{ client: MqttClient; version: 4 | 5 }> {
  const versions: Array<4 | 5> = options.protocolVersion ? [options.protocolVersion] : [5, 4];
  let lastError: Error | undefined;
  for (const version of versions) {
    const clientOptions: IClientOptions = {
      protocolVersion: version,
      clientId: `hestia-say-${randomUUID().slice(0, 8)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: Math.max(1, deadline - Date.now()),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    };
    const client = mqtt.connect(options.url, clientOptions);
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new Error('aborted'));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        client.once('connect', () => resolve());
        client.once('error', reject);
        client.once('close', () => reject(lastError ?? new Error('connection closed')));
      });
      return { client, version };
    } catch (err) {
      lastError = err as Error;
      await client.endAsync(true);
      // A 3.1.1-only broker refuses version 5 with "unacceptable protocol version": try 4.
      if (!/protocol version/i.test(lastError.message)) break;
    }
  }
  throw new HestiaError('HESTIA_BROKER_UNREACHABLE', `cannot connect to the MQTT broker at ${redactUrl(options.url)}: ${lastError?.message ?? 'unknown error'}`, {
    cause: lastError,
  });
}

async function exchange(client: MqttClient, version: 4 | 5, message: RequestMessage, options: AskOptions, deadline: number): Promise<ReplyMessage> {
  const topics = topicsFor(options.topicPrefix);
  const replyTopic = version === 5 ? `${options.topicPrefix}/reply/cli-${randomUUID()}` : topics.reply(message.site);
  let status: StatusMessage | undefined;
  const reply = new Promise<ReplyMessage>((resolve) => {
    client.on('message', (topic, payload, packet) => {
      if (topic === topics.status) {
        const s = payload.toString();
        if (s === 'online' || s === 'offline') status = s;
        return;
      }
      if (topic !== replyTopic) return;
      const correlated = packet.properties?.correlationData;
      if (correlated && correlated.toString() !== message.id) return;
      try {
        const parsed = JSON.parse(payload.toString()) as ReplyMessage;
        if (parsed.id === message.id || (correlated && parsed.id === 'unknown')) resolve(parsed);
      } catch {
        // Not a reply of ours; keep waiting.
      }
    });
  });
  await client.subscribeAsync({ [replyTopic]: { qos: 1 }, [topics.status]: { qos: 1 } });
  await client.publishAsync(topics.request, encodeMessage('request', message), {
    qos: 1,
    ...(version === 5 ? { properties: { responseTopic: replyTopic, correlationData: Buffer.from(message.id) } } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const hint =
        status === 'offline' ? ' (Hestia is offline: its status topic says so)' : status === undefined ? ' (no Hestia has announced itself on this broker and prefix)' : '';
      reject(new HestiaError('HESTIA_TIMEOUT', `no reply within ${options.timeoutMs} ms${hint}`));
    }, Math.max(0, deadline - Date.now()));
  });
  const aborted = new Promise<never>((_, reject) => {
    options.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  try {
    return await Promise.race([reply, timeout, aborted]);
  } finally {
    clearTimeout(timer);
  }
}
