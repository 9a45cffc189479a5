// One request, end to end (DESIGN.md): intake -> understand and check (planRequest) -> execute, only
// for an `ok` plan and only before the deadline -> exactly one reply per message. A repeated id is
// answered with the first reply and executes nothing.
import type { Catalog } from '../catalog/catalog.js';
import type { HestiaConfig } from '../config/load-config.js';
import { errorInfo, HestiaError, type ErrorCode } from '../errors.js';
import type { MqttExecutor } from '../execution/mqtt-executor.js';
import { ReplyCache } from '../intake/reply-cache.js';
import { parseRequestPayload, type Request } from '../intake/request.js';
import { speakerArea } from '../intake/speaker-area.js';
import { requestLogger, type Logger } from '../log/logger.js';
import type { IncomingRequest } from '../mqtt/mqtt-connection.js';
import { publishableTopic, topicsFor, type ReplyMessage, type RequestMessage } from '../mqtt/wire.js';
import { planRequest } from '../pipeline/plan-request.js';
import type { Plan } from '../plan/types.js';
import type { Planner } from '../understanding/planner.js';

/** Where a reply goes: the MQTT 5 response topic (with correlation data) or `<prefix>/reply/<site>`. */
export interface ReplyDestination {
  topic: string;
  correlationData?: Buffer;
}

export interface RequestFlowDeps {
  config: HestiaConfig;
  catalog: Catalog;
  planners: Planner[];
  executor: MqttExecutor;
  log: Logger;
  sendReply(destination: ReplyDestination, reply: ReplyMessage): Promise<void>;
  now?: () => number;
}

export class RequestFlow {
  readonly #deps: RequestFlowDeps;
  readonly #now: () => number;
  readonly #replies: ReplyCache<ReplyMessage>;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #sending = new Set<Promise<void>>();
  #accepting = true;

  constructor(deps: RequestFlowDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#replies = new ReplyCache({ windowMs: deps.config.requests.dedupe_window_s * 1000, now: this.#now });
  }

  /** Takes one message from the request topic; its reply is sent when it is ready. Never throws. */
  accept(incoming: IncomingRequest): void {
    const job = this.#handle(incoming).catch((err: unknown) => this.#deps.log.error({ err }, 'request handling failed'));
    this.#inFlight.add(job);
    void job.finally(() => this.#inFlight.delete(job));
  }

  /** Stops taking new work (new messages get `busy`), waits for in-flight requests and their replies. */
  async drain(replyGraceMs = 3000): Promise<void> {
    this.#accepting = false;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    // A reply waiting for a broker that is gone should not hold the stop forever.
    const grace = new Promise<void>((r) => setTimeout(r, replyGraceMs).unref());
    await Promise.race([Promise.allSettled([...this.#sending]), grace]);
  }

  async #handle(incoming: IncomingRequest): Promise<void> {
    const receivedAt = this.#now();
    const { config, log } = this.#deps;
    const parsed = parseRequestPayload(incoming.payload, {
      maxPayloadBytes: config.requests.max_payload_bytes,
      maxTextLength: config.requests.max_text_length,
    });
    const destination = this.#destination(incoming, parsed.ok ? parsed.message.site : parsed.site);
    if (!parsed.ok) {
      log.warn({ request_id: parsed.id, code: parsed.error.code, reason: parsed.error.message, bytes: incoming.payload.length }, 'invalid request');
      this.#send(destination, errorReply(parsed.id, parsed.error.code, parsed.error.message, "Sorry, I couldn't read that request."));
      return;
    }
    const message = parsed.message;
    if (!this.#accepting) {
      log.info({ request_id: message.id }, 'request refused: stopping');
      this.#send(destination, { ...errorReply(message.id, 'HESTIA_BUSY', 'Hestia is stopping; send the request again shortly.', 'Sorry, I am restarting. Please try again in a moment.'), status: 'busy' });
      return;
    }
    const first = this.#replies.lookup(message.id);
    if (first) {
      log.info({ request_id: message.id }, 'repeated request id: answering with the first reply, executing nothing');
      this.#send(destination, await first);
      return;
    }
    const reply = this.#process(message, receivedAt);
    this.#replies.remember(message.id, reply);
    this.#send(destination, await reply);
  }

  async #process(message: RequestMessage, receivedAt: number): Promise<ReplyMessage> {
    const { config, catalog, planners, executor } = this.#deps;
    const log = requestLogger(this.#deps.log, message.id, 'mqtt');
    const deadline = receivedAt + config.requests.default_deadline_ms;
    let request: Request;
    try {
      const area = speakerArea(message, config.sites, catalog);
      request = {
        ...message,
        ...(area !== undefined ? { area_id: area } : {}),
        source: 'mqtt',
        receivedAt,
        deadline,
      };
    } catch (err) {
      const { code, message: why } = errorInfo(err);
      log.warn({ code, reason: why }, 'invalid request');
      return errorReply(message.id, code, why, "Sorry, I couldn't read that request.");
    }
    log.info({ site: request.site, area_id: request.area_id, text_length: request.text.length }, 'request received');
    log.debug({ text: request.text }, 'request text');

    const expired = AbortSignal.timeout(Math.max(0, deadline - this.#now()));
    let plan: Plan;
    try {
      const planned = await untilAborted(
        planRequest(
          { id: request.id, text: request.text, area_id: request.area_id ?? null, conversation_id: request.conversation_id ?? null },
          { catalog, planners, log },
          expired,
        ),
        expired,
      );
      if (planned === 'aborted') return this.#finish(log, timeoutReply(request, 'before a plan was ready'));
      plan = planned;
    } catch (err) {
      const { code, message: why } = errorInfo(err);
      log.error({ err, code }, 'planning failed');
      return this.#finish(log, errorReply(request.id, code, why, 'Sorry, something went wrong.'));
    }

    // Only an `ok` plan is ever executed; every other status is an answer, not an action.
    if (plan.status !== 'ok' || plan.actions.length === 0) return this.#finish(log, { ...plan, published: [] });
    if (this.#now() >= deadline || expired.aborted) {
      return this.#finish(log, { ...timeoutReply(request, 'before the commands could be sent'), source: plan.source, timings_ms: plan.timings_ms });
    }
    const t0 = performance.now();
    const result = await executor.execute(plan.actions, request.id, log, expired);
    const timings_ms = { ...plan.timings_ms, execute: performance.now() - t0 };
    if (result.undelivered.length === 0) return this.#finish(log, { ...plan, timings_ms, published: result.published });
    const names = [...new Set(result.undelivered.map((u) => catalog.entity(u.entity_id)?.name ?? u.entity_id))];
    const detail = result.undelivered.map((u) => `${u.domain}.${u.service} ${u.entity_id}: ${u.reason}`).join('; ');
    return this.#finish(log, {
      ...plan,
      status: 'error',
      timings_ms,
      speech: `Sorry, I could not send the command to ${joinNames(names)}.`,
      error: { code: 'HESTIA_EXECUTION_FAILED', message: `${result.undelivered.length} of ${result.undelivered.length + result.published.length} commands not delivered: ${detail}` },
      published: result.published,
      undelivered: result.undelivered,
    });
  }

  #finish(log: Logger, reply: ReplyMessage): ReplyMessage {
    const fields = { status: reply.status, planner: reply.source, timings_ms: reply.timings_ms, published: reply.published.length, code: reply.error?.code };
    if (reply.status === 'error' || reply.status === 'timeout') log.warn(fields, 'request answered');
    else log.info(fields, 'request answered');
    return reply;
  }

  #destination(incoming: IncomingRequest, site: string | undefined): ReplyDestination {
    if (incoming.responseTopic !== undefined) {
      if (publishableTopic(incoming.responseTopic)) {
        return { topic: incoming.responseTopic, ...(incoming.correlationData ? { correlationData: incoming.correlationData } : {}) };
      }
      this.#deps.log.warn({ response_topic: incoming.responseTopic }, 'unusable response topic; replying on the site topic');
    }
    return { topic: topicsFor(this.#deps.config.mqtt.topic_prefix).reply(site) };
  }

  #send(destination: ReplyDestination, reply: ReplyMessage): void {
    const sending = this.#deps
      .sendReply(destination, reply)
      .catch((err: unknown) => this.#deps.log.error({ err, request_id: reply.id, topic: destination.topic }, 'could not send reply'));
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
  }
}

/** Resolves with the work's result, or 'aborted' as soon as the signal fires (the work is abandoned). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise<T | 'aborted'>((resolve, reject) => {
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new HestiaError('HESTIA_INTERNAL', String(err)));
      },
    );
  });
}

function errorReply(id: string, code: ErrorCode, message: string, speech: string): ReplyMessage {
  return { id, status: 'error', source: 'none', actions: [], query_entity_ids: [], speech, timings_ms: {}, error: { code, message }, published: [] };
}

function timeoutReply(request: Request, when: string): ReplyMessage {
  const ms = request.deadline - request.receivedAt;
  return {
    ...errorReply(request.id, 'HESTIA_TIMEOUT', `the request passed its ${ms} ms deadline ${when}; nothing was executed`, 'Sorry, that took too long.'),
    status: 'timeout',
  };
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'the device';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
