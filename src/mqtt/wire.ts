// Hestia's MQTT API, typed once: which topic carries which payload. The daemon, the executor and
// `hestia say` publish and parse through these types, so the wire cannot drift between them.
import type { ServiceCallResult } from '../homeassistant/ha-executor.js';
import type { Plan } from '../plan/types.js';

/** `<prefix>/request`: what a voice bridge, a script or `hestia say` sends. */
export interface RequestMessage {
  /** The client's id for the request; the idempotency key (a repeat is answered, not re-executed). */
  id: string;
  text: string;
  /** Which satellite or room the request came from; names the reply topic and may imply an area. */
  site?: string;
  /** The speaker's area, when the sender knows it (wins over the site's area). */
  area_id?: string;
  conversation_id?: string;
  /** Who is asking: voice (the default), automation or cli. Self-declared, so it can only narrow what the policy allows. */
  source?: 'voice' | 'automation' | 'cli';
  /** Answers this confirmation (the id from a needs_confirmation reply) with the text's yes or no. */
  confirmation_id?: string;
  /** When the request was made (epoch ms, or an ISO 8601 string): a request older than its deadline is not executed. */
  sent_at?: number;
}

/** One command Hestia published for an action: exactly the topic and the bytes (UTF-8) sent. */
export interface PublishedCommand {
  entity_id: string;
  domain: string;
  service: string;
  topic: string;
  payload: string;
}

/** A command that was not delivered, and why. Its action did not happen as far as Hestia knows. */
export interface UndeliveredCommand {
  entity_id: string;
  domain: string;
  service: string;
  topic: string | null;
  reason: string;
}

/**
 * The reply: the plan (grammars/plan.schema.json) plus what execution did. Sent to the request's
 * MQTT 5 response topic (with its correlation data) or else to `<prefix>/reply/<site|default>`.
 */
export interface ReplyMessage extends Plan {
  published: PublishedCommand[];
  /** Present when some command could not be delivered (status is then `error`). */
  undelivered?: UndeliveredCommand[];
  /** Home Assistant service calls, their results and whether the implied state was seen. */
  called?: ServiceCallResult[];
}

/** `<prefix>/status`, retained: `online` while connected, `offline` on a clean stop or as Last Will. */
export type StatusMessage = 'online' | 'offline';

/** The topic map: every Hestia topic and the payload it carries. */
export interface HestiaTopics {
  request: RequestMessage;
  reply: ReplyMessage;
  status: StatusMessage;
}

export type TopicKind = keyof HestiaTopics;

/** The topic names under a prefix. */
export function topicsFor(prefix: string): {
  request: string;
  status: string;
  reply: (site: string | undefined) => string;
  replyFilter: string;
} {
  return {
    request: `${prefix}/request`,
    status: `${prefix}/status`,
    reply: (site) => `${prefix}/reply/${site ?? 'default'}`,
    replyFilter: `${prefix}/reply/+`,
  };
}

/** The bytes of a message: JSON, except the status, which is a bare word (easy for any tool). */
export function encodeMessage<K extends TopicKind>(kind: K, message: HestiaTopics[K]): string {
  return kind === 'status' ? String(message) : JSON.stringify(message);
}

/**
 * Whether a topic may be published to. mqtt.js sends anything, and a broker drops the whole
 * connection on a wildcard in a PUBLISH (seen with Mosquitto 2.0), so this is checked first.
 */
export function publishableTopic(topic: string): boolean {
  return topic.length > 0 && !/[+#\u0000]/.test(topic) && Buffer.byteLength(topic) <= 65535;
}
