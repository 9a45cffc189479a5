// One request, end to end (DESIGN.md): intake -> understand and check (planRequest) -> execute, only
// for an `ok` plan and only before the deadline -> exactly one reply per message. A repeated id is
// answered with the first reply and executes nothing.
import type { Catalog } from '../catalog/catalog.js';
import type { HestiaConfig } from '../config/load-config.js';
import { errorInfo, HestiaError, type ErrorCode } from '../errors.js';
import type { ActionExecutor } from '../execution/routed-executor.js';
import { actionSpeech } from '../understanding/fastpath/speech.js';
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import { checkCatalog } from '../checks/catalog-check.js';
import type { Policy, PolicyDecision } from '../checks/policy.js';
import { readConfirmationReply, type ConfirmationReply } from '../intake/confirmation-reply.js';
import { RequestLimiter } from '../intake/request-limiter.js';
import { ConfirmationBook } from './confirmations.js';
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
  /** Replies that do not go over MQTT (a Home Assistant event) are sent by this instead. */
  send?: (reply: ReplyMessage) => Promise<void>;
}

export interface RequestFlowDeps {
  config: HestiaConfig;
  catalog: Catalog;
  planners: Planner[];
  executor: ActionExecutor;
  log: Logger;
  sendReply(destination: ReplyDestination, reply: ReplyMessage): Promise<void>;
  /** Where every request leaves its line; none when absent. */
  audit?: AuditLog;
  now?: () => number;
}

/** What the audit records beside the reply. */
interface AuditContext {
  kind: AuditEntry['kind'];
  message?: RequestMessage;
  policy?: PolicyDecision;
  confirmation_id?: string;
  /** The text may hold a PIN: record only what it meant. */
  redactText?: string;
}

export function policyFromConfig(config: HestiaConfig): Policy {
  const p = config.policy;
  return {
    ...(p.allow_domains ? { allow_domains: p.allow_domains } : {}),
    deny_domains: p.deny_domains,
    deny_entities: p.deny_entities,
    rules: p.rules,
    climate_min_c: p.climate_min_c,
    climate_max_c: p.climate_max_c,
    max_actions: p.max_actions,
    sources: { voice: { ...p.sources.voice }, automation: { ...p.sources.automation }, cli: { ...p.sources.cli } },
    pin_configured: p.pin !== undefined,
  };
}

export class RequestFlow {
  readonly #deps: RequestFlowDeps;
  readonly #now: () => number;
  readonly #replies: ReplyCache<ReplyMessage>;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #sending = new Set<Promise<void>>();
  readonly #policy: Policy;
  readonly #confirmations: ConfirmationBook;
  readonly #limiter: RequestLimiter<ReplyMessage>;
  #accepting = true;

  constructor(deps: RequestFlowDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#replies = new ReplyCache({ windowMs: deps.config.requests.dedupe_window_s * 1000, now: this.#now });
    this.#policy = policyFromConfig(deps.config);
    this.#confirmations = new ConfirmationBook(this.#now);
    this.#limiter = new RequestLimiter({ perMinute: deps.config.policy.rate_limit_per_minute, burstMs: deps.config.policy.burst_window_ms, now: this.#now });
  }

  /** Takes one message from the request topic; its reply is sent when it is ready. Never throws. */
  accept(incoming: IncomingRequest, replyTo?: (reply: ReplyMessage) => Promise<void>): void {
    const job = this.#handle(incoming, replyTo).catch((err: unknown) => this.#deps.log.error({ err }, 'request handling failed'));
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

  async #handle(incoming: IncomingRequest, replyTo?: (reply: ReplyMessage) => Promise<void>): Promise<void> {
    const receivedAt = this.#now();
    const { config, log } = this.#deps;
    const parsed = parseRequestPayload(incoming.payload, {
      maxPayloadBytes: config.requests.max_payload_bytes,
      maxTextLength: config.requests.max_text_length,
    });
    const destination: ReplyDestination = replyTo ? { topic: '', send: replyTo } : this.#destination(incoming, parsed.ok ? parsed.message.site : parsed.site);
    if (!parsed.ok) {
      log.warn({ request_id: parsed.id, code: parsed.error.code, reason: parsed.error.message, bytes: incoming.payload.length }, 'invalid request');
      this.#send(destination, errorReply(parsed.id, parsed.error.code, parsed.error.message, "Sorry, I couldn't read that request."), { kind: 'invalid' });
      return;
    }
    const message = parsed.message;
    if (!this.#accepting) {
      log.info({ request_id: message.id }, 'request refused: stopping');
      this.#send(destination, { ...errorReply(message.id, 'HESTIA_BUSY', 'Hestia is stopping; send the request again shortly.', 'Sorry, I am restarting. Please try again in a moment.'), status: 'busy' }, { kind: 'refused', message });
      return;
    }
    const first = this.#replies.lookup(message.id);
    if (first) {
      log.info({ request_id: message.id }, 'repeated request id: answering with the first reply, executing nothing');
      this.#send(destination, await first, { kind: 'repeat', message });
      return;
    }
    const place = message.site ?? message.source ?? 'voice';
    if (!this.#limiter.admit(place)) {
      log.warn({ request_id: message.id, site: message.site, source: message.source }, 'request refused: rate limit');
      const limited = errorReply(message.id, 'HESTIA_RATE_LIMITED', `more than ${config.policy.rate_limit_per_minute} requests in a minute from ${place}`, 'Sorry, that is too many requests. Please wait a moment.');
      this.#send(destination, { ...limited, status: 'busy' }, { kind: 'rate_limited', message });
      return;
    }
    // The same words from the same conversation right after they were acted on: a double trigger.
    const speaker = `${place}\u0000${message.conversation_id ?? ''}`;
    const burst = this.#limiter.repeatOf(speaker, message.text);
    const earlier = burst ? await burst : undefined;
    if (earlier && (earlier.status === 'ok' || earlier.status === 'needs_confirmation')) {
      log.info({ request_id: message.id, first: earlier.id }, 'the same request again within the burst window: answering with its reply, executing nothing');
      const reply: ReplyMessage = { ...earlier, id: message.id, published: [] };
      this.#replies.remember(message.id, Promise.resolve(reply));
      this.#send(destination, reply, { kind: 'burst', message });
      return;
    }
    const context: AuditContext = { kind: 'request', message };
    const reply = this.#process(message, receivedAt, context);
    this.#replies.remember(message.id, reply);
    this.#limiter.remember(speaker, message.text, reply);
    this.#send(destination, await reply, context);
  }

  async #process(message: RequestMessage, receivedAt: number, context: AuditContext): Promise<ReplyMessage> {
    const { config, catalog, planners } = this.#deps;
    const log = requestLogger(this.#deps.log, message.id, 'mqtt');
    // A request that says when it was made is due from then: one queued in the broker while Hestia
    // was down (or delayed on the way) must not fire a minute late.
    const deadline = Math.min(receivedAt, message.sent_at ?? receivedAt) + config.requests.default_deadline_ms;
    let request: Request;
    try {
      const area = speakerArea(message, config.sites, catalog);
      request = {
        ...message,
        ...(area !== undefined ? { area_id: area } : {}),
        source: message.source ?? 'voice',
        receivedAt,
        deadline,
      };
    } catch (err) {
      const { code, message: why } = errorInfo(err);
      log.warn({ code, reason: why }, 'invalid request');
      return errorReply(message.id, code, why, "Sorry, I couldn't read that request.");
    }
    log.info({ site: request.site, area_id: request.area_id, source: request.source, text_length: request.text.length }, 'request received');
    if (this.#now() >= deadline) return this.#finish(log, timeoutReply(request, 'before it arrived'));

    // A yes or no to a question Hestia asked, or anything said while one is waiting.
    const key = ConfirmationBook.keyOf(request);
    const answer = readConfirmationReply(request.text);
    if (answer.kind !== 'other' || request.confirmation_id !== undefined) {
      context.kind = 'confirmation';
      if (config.policy.pin !== undefined) context.redactText = answer.kind;
      return this.#answerConfirmation(request, key, answer, context, log);
    }
    log.debug({ text: request.text }, 'request text');
    const dropped = this.#confirmations.find(key);
    if (dropped) {
      // Something else was said: the question is dropped, never answered by a later yes.
      this.#confirmations.take(dropped.id);
      log.info({ confirmation_id: dropped.id }, 'a new request ends the pending confirmation');
    }

    const expired = AbortSignal.timeout(Math.max(0, deadline - this.#now()));
    let plan: Plan;
    try {
      const planned = await untilAborted(
        planRequest(
          { id: request.id, text: request.text, area_id: request.area_id ?? null, conversation_id: request.conversation_id ?? null, source: request.source },
          { catalog, planners, log, policy: this.#policy, onPolicy: (decision) => (context.policy = decision) },
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

    if (plan.status === 'needs_confirmation' && plan.confirmation) {
      const pending = this.#confirmations.hold({
        request_id: request.id,
        key,
        actions: plan.actions,
        question: plan.confirmation.question,
        pinRequired: plan.confirmation.pin_required === true,
        expiresAt: this.#now() + config.policy.confirm_window_s * 1000,
      });
      context.confirmation_id = pending.id;
      log.info({ confirmation_id: pending.id, key, window_s: config.policy.confirm_window_s }, 'holding the plan for a confirmation');
      const confirmation = { ...plan.confirmation, id: pending.id, expires_at: new Date(pending.expiresAt).toISOString() };
      return this.#finish(log, { ...plan, confirmation, published: [] });
    }
    // Only an `ok` plan is ever executed; every other status is an answer, not an action.
    if (plan.status !== 'ok' || plan.actions.length === 0) return this.#finish(log, { ...plan, published: [] });
    return this.#execute(request, plan, deadline, expired, log);
  }

  /** Publishes an `ok` plan's commands, unless the deadline has passed; reports what was delivered. */
  async #execute(request: Request, plan: Plan, deadline: number, expired: AbortSignal, log: Logger): Promise<ReplyMessage> {
    const { catalog, executor } = this.#deps;
    if (this.#now() >= deadline || expired.aborted) {
      return this.#finish(log, { ...timeoutReply(request, 'before the commands could be sent'), source: plan.source, timings_ms: plan.timings_ms });
    }
    const t0 = performance.now();
    const result = await executor.execute(plan.actions, request.id, log, expired);
    const timings_ms = { ...plan.timings_ms, execute: performance.now() - t0 };
    const called = result.called.length ? { called: result.called } : {};
    const nameOf = (id: string): string => catalog.entity(id)?.name ?? id;
    const failedCalls = result.called.filter((c) => !c.ok);
    if (result.undelivered.length > 0 || failedCalls.length > 0) {
      // An action that failed is never reported as done: the reply names what did not happen.
      const names = [...new Set([...result.undelivered.map((u) => u.entity_id), ...failedCalls.flatMap((c) => c.entity_ids)].map(nameOf))];
      const detail = [
        ...result.undelivered.map((u) => `${u.domain}.${u.service} ${u.entity_id}: ${u.reason}`),
        ...failedCalls.map((c) => `${c.domain}.${c.service} ${c.entity_ids.join(', ')}: ${c.error ?? 'failed'}`),
      ].join('; ');
      const total = result.undelivered.length + result.published.length + result.called.length;
      return this.#finish(log, {
        ...plan,
        status: 'error',
        timings_ms,
        speech: `Sorry, that did not work for ${joinNames(names)}.`,
        error: { code: 'HESTIA_EXECUTION_FAILED', message: `${result.undelivered.length + failedCalls.length} of ${total} commands failed: ${detail}` },
        published: result.published,
        ...(result.undelivered.length ? { undelivered: result.undelivered } : {}),
        ...called,
      });
    }
    // Done as far as Home Assistant said; say which devices did not show the change in time.
    const silent = result.called.flatMap((c) => Object.entries(c.verified).filter(([, v]) => v === 'not_confirmed').map(([id]) => nameOf(id)));
    const speech = silent.length ? `${plan.speech} But ${joinNames([...new Set(silent)])} did not respond.` : plan.speech;
    return this.#finish(log, { ...plan, speech, timings_ms, published: result.published, ...called });
  }

  /** A yes or no: executes or cancels exactly the plan held back for it, once, within its window. */
  async #answerConfirmation(request: Request, key: string | null, answer: ConfirmationReply, context: AuditContext, log: Logger): Promise<ReplyMessage> {
    const { config, catalog } = this.#deps;
    const nothing = (why: string): ReplyMessage =>
      this.#finish(log, { ...errorReply(request.id, 'HESTIA_NOTHING_TO_CONFIRM', why, 'There is nothing waiting for a yes or no.'), status: 'rejected' });
    if (answer.kind === 'other') return nothing('confirmation_id was given, but the text is not a plain yes or no; nothing was executed');
    const pending = this.#confirmations.find(key, request.confirmation_id);
    if (!pending) {
      const why = request.confirmation_id !== undefined ? `no confirmation ${request.confirmation_id} is waiting (expired, answered or unknown)` : 'no confirmation is waiting for this conversation (none was asked, or it expired or was answered)';
      log.info({ answer: answer.kind }, why);
      return nothing(why);
    }
    context.confirmation_id = pending.id;
    if (answer.kind === 'no') {
      this.#confirmations.take(pending.id);
      log.info({ confirmation_id: pending.id }, 'confirmation declined; nothing executed');
      return this.#finish(log, { id: request.id, status: 'ok', source: 'none', actions: [], query_entity_ids: [], speech: 'OK, I will leave it.', timings_ms: {}, published: [] });
    }
    if (pending.pinRequired && answer.pin !== config.policy.pin) {
      pending.wrongPins += 1;
      const cancelled = pending.wrongPins >= config.policy.max_pin_attempts;
      if (cancelled) this.#confirmations.take(pending.id);
      log.warn({ confirmation_id: pending.id, attempts: pending.wrongPins, cancelled }, 'wrong or missing PIN; nothing executed');
      const speech = answer.pin === undefined ? 'Please say yes and your PIN.' : cancelled ? 'That PIN is wrong. I have cancelled it.' : 'That PIN is wrong.';
      return this.#finish(log, { ...errorReply(request.id, 'HESTIA_WRONG_PIN', `${answer.pin === undefined ? 'no PIN was given' : 'the PIN is wrong'} (attempt ${pending.wrongPins} of ${config.policy.max_pin_attempts})`, speech), status: 'rejected' });
    }
    const taken = this.#confirmations.take(pending.id);
    if (!taken) return nothing(`confirmation ${pending.id} expired`);
    // The home may have changed since the question: the plan is checked again before it runs.
    const problems = checkCatalog({ actions: taken.actions, query_entity_ids: [] }, catalog);
    if (problems.length > 0) {
      const first = problems[0] as (typeof problems)[number];
      return this.#finish(log, { ...errorReply(request.id, first.code, problems.map((p) => p.message).join('; '), `I can't do that any more: ${first.say}.`), status: 'rejected', actions: taken.actions });
    }
    log.info({ confirmation_id: taken.id, asked_by: taken.request_id }, 'confirmed: executing the plan held back');
    const plan: Plan = { id: request.id, status: 'ok', source: 'none', actions: taken.actions, query_entity_ids: [], speech: actionSpeech(taken.actions, catalog), timings_ms: {} };
    const expired = AbortSignal.timeout(Math.max(0, request.deadline - this.#now()));
    return this.#execute(request, plan, request.deadline, expired, log);
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

  #send(destination: ReplyDestination, reply: ReplyMessage, context: AuditContext): void {
    this.#audit(reply, context);
    const sending = (destination.send ? destination.send(reply) : this.#deps.sendReply(destination, reply))
      .catch((err: unknown) => this.#deps.log.error({ err, request_id: reply.id, topic: destination.topic }, 'could not send reply'));
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
  }

  #audit(reply: ReplyMessage, context: AuditContext): void {
    const audit = this.#deps.audit;
    if (!audit) return;
    const m = context.message;
    const checkFailed = reply.status === 'rejected' || (reply.status === 'error' && reply.error?.code !== 'HESTIA_EXECUTION_FAILED');
    audit.record({
      time: new Date(this.#now()).toISOString(),
      request_id: reply.id,
      source: m?.source ?? 'voice',
      ...(m?.site !== undefined ? { site: m.site } : {}),
      ...(m?.area_id !== undefined ? { area_id: m.area_id } : {}),
      ...(m?.conversation_id !== undefined ? { conversation_id: m.conversation_id } : {}),
      ...(m ? { text: context.redactText !== undefined ? `[${context.redactText}; text withheld: it may hold a PIN]` : m.text } : {}),
      kind: context.kind,
      status: reply.status,
      planner: reply.source,
      actions: reply.actions,
      query_entity_ids: reply.query_entity_ids,
      checks: { passed: !checkFailed, ...(checkFailed && reply.error ? { code: reply.error.code } : {}) },
      ...(context.policy ? { policy: { tier: context.policy.tier, reasons: context.policy.reasons } } : {}),
      ...(context.confirmation_id !== undefined ? { confirmation_id: context.confirmation_id } : {}),
      executed: reply.published,
      ...(reply.undelivered ? { undelivered: reply.undelivered } : {}),
      ...(reply.error ? { error: reply.error } : {}),
      timings_ms: reply.timings_ms as Record<string, number>,
    });
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
