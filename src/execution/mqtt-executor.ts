// Execution over MQTT: every entity of every action of an allowed plan becomes one command, rendered
// by the first matching template rule and published at QoS 1. The result lists exactly what the
// broker accepted and what it did not; nothing is reported done that was not published.
import type { Catalog } from '../catalog/catalog.js';
import type { CommandRule } from '../config/schema.js';
import { errorInfo } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Action } from '../plan/types.js';
import type { PublishedCommand, UndeliveredCommand } from '../mqtt/wire.js';
import { compileRules, type CommandContext, type CompiledRule } from './command-template.js';

/** The one thing execution needs from MQTT (MqttConnection provides it). */
export interface CommandPublisher {
  publishRaw(topic: string, payload: string, options: { retain?: boolean; signal?: AbortSignal }): Promise<void>;
}

export interface ExecutionResult {
  published: PublishedCommand[];
  undelivered: UndeliveredCommand[];
}

export interface MqttExecutorOptions {
  rules: readonly Readonly<CommandRule>[];
  topicPrefix: string;
  catalog: Catalog;
  publisher: CommandPublisher;
}

export class MqttExecutor {
  readonly #rules: CompiledRule[];
  readonly #options: MqttExecutorOptions;

  /** Throws HESTIA_BAD_CONFIG (with paths) when a template is invalid, so it shows at start. */
  constructor(options: MqttExecutorOptions) {
    this.#rules = compileRules(options.rules);
    this.#options = options;
  }

  /** Publishes the commands for these actions; `signal` (the request's deadline) withdraws late ones. */
  async execute(actions: readonly Action[], requestId: string, log: Logger, signal?: AbortSignal): Promise<ExecutionResult> {
    const jobs = actions.flatMap((action) => action.entity_ids.map((entityId) => this.#publishOne(action, entityId, requestId, signal)));
    const outcomes = await Promise.all(jobs);
    const result: ExecutionResult = { published: [], undelivered: [] };
    for (const o of outcomes) {
      if ('reason' in o) result.undelivered.push(o);
      else result.published.push(o);
    }
    for (const u of result.undelivered) log.warn({ entity_id: u.entity_id, service: u.service, topic: u.topic, reason: u.reason }, 'command not delivered');
    if (result.published.length > 0) log.debug({ published: result.published }, 'commands published');
    return result;
  }

  async #publishOne(action: Action, entityId: string, requestId: string, signal?: AbortSignal): Promise<PublishedCommand | UndeliveredCommand> {
    const entity = this.#options.catalog.entity(entityId);
    const [domain = action.domain, objectId = entityId] = entityId.split('.');
    const base = { entity_id: entityId, domain, service: action.service };
    const rule = this.#rules.find((r) => r.matches(entityId, action.service));
    if (!rule) return { ...base, topic: null, reason: 'no command rule matches' };
    const ctx: CommandContext = {
      prefix: this.#options.topicPrefix,
      domain,
      object_id: objectId,
      entity_id: entityId,
      service: action.service,
      name: entity?.name ?? objectId,
      area_id: entity?.area_id ?? '',
      request_id: requestId,
      data: action.data,
    };
    const command = rule.render(ctx);
    try {
      await this.#options.publisher.publishRaw(command.topic, command.payload, { retain: command.retain, ...(signal ? { signal } : {}) });
      return { ...base, topic: command.topic, payload: command.payload };
    } catch (err) {
      const reason = signal?.aborted ? 'the broker did not confirm it before the request deadline' : errorInfo(err).message;
      return { ...base, topic: command.topic, reason };
    }
  }
}
