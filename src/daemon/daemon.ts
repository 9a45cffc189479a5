// The one place that knows every component: builds them from the configuration, starts them in
// order (home, templates, broker, MQTT) and stops them in reverse, finishing in-flight requests
// first. Everything it builds is passed in to what needs it; nothing is global.
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import type { Catalog } from '../catalog/catalog.js';
import { loadSnapshotFile } from '../catalog/snapshot.js';
import type { HestiaConfig } from '../config/load-config.js';
import { errorInfo, HestiaError } from '../errors.js';
import { setUpModel, type ModelSetup } from '../model/model-setup.js';
import { MqttExecutor } from '../execution/mqtt-executor.js';
import { RoutedExecutor } from '../execution/routed-executor.js';
import { HaExecutor } from '../homeassistant/ha-executor.js';
import { HomeAssistantLink, type HaRequestEvent } from '../homeassistant/home-assistant.js';
import type { ReplyMessage } from '../mqtt/wire.js';
import { unknownSiteAreas } from '../intake/speaker-area.js';
import { createLogger, redactUrl, type Logger } from '../log/logger.js';
import { EmbeddedBroker } from '../mqtt/embedded-broker.js';
import { MqttConnection } from '../mqtt/mqtt-connection.js';
import { ConversationMemory } from '../understanding/conversation-memory.js';
import { FastPathPlanner } from '../understanding/fastpath/fast-path-planner.js';
import type { Planner } from '../understanding/planner.js';
import { RequestFlow } from './request-flow.js';

export interface DaemonOptions {
  config: HestiaConfig;
  /** Defaults to a pino logger on stdout at config.log.level. */
  log?: Logger;
  /** Replaces the default planners ([FastPathPlanner]); tried in order. */
  planners?: Planner[];
  /** Uses this catalog instead of loading config.home.file. */
  catalog?: Catalog;
  /** The environment, for the model's cache directory ($CACHE_DIRECTORY, $XDG_CACHE_HOME). */
  env?: Record<string, string | undefined>;
}

export class Daemon {
  readonly #config: HestiaConfig;
  readonly #log: Logger;
  readonly #options: DaemonOptions;
  #broker: EmbeddedBroker | undefined;
  #connection: MqttConnection | undefined;
  #flow: RequestFlow | undefined;
  #brokerUrl = '';
  #stopping: Promise<void> | undefined;
  #model: ModelSetup | undefined;
  #audit: AuditLog | undefined;
  #ha: HomeAssistantLink | undefined;

  constructor(options: DaemonOptions) {
    this.#options = options;
    this.#config = options.config;
    this.#log = options.log ?? createLogger({ level: options.config.log.level });
  }

  /** The broker the daemon talks to (the embedded one's real address once started). */
  get brokerUrl(): string {
    return this.#brokerUrl;
  }

  /**
   * Starts everything and resolves once Hestia is subscribed and announced `online`. Waits (retrying)
   * for an unreachable broker; `signal` aborts the wait. On failure, whatever started is stopped.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#connection || this.#stopping) throw new Error('a Daemon starts once');
    const config = this.#config;
    const log = this.#log;
    try {
      const catalog = this.#options.catalog ?? (config.homeassistant.url ? await this.#startHomeAssistant(signal) : await loadSnapshotFile(config.home.file));
      const siteProblems = unknownSiteAreas(config.sites, catalog);
      if (siteProblems.length > 0) {
        throw new HestiaError('HESTIA_BAD_CONFIG', `invalid configuration:\n${siteProblems.map((p) => `  ${p}`).join('\n')}`);
      }
      // The memory lets a follow-up in the same conversation say "it" ("turn it off").
      const memory = new ConversationMemory();
      const planners = this.#options.planners ?? [new FastPathPlanner({ memory })];
      if (!this.#options.planners && config.model.enabled) {
        this.#model = await this.#loadModel(memory, signal);
        if (this.#model) planners.push(this.#model.planner);
      }
      log.info({ home: config.homeassistant.url ? redactUrl(config.homeassistant.url) : config.home.file, entities: catalog.size, planners: planners.map((p) => p.source) }, 'home loaded');

      let url = config.mqtt.url;
      if (config.mqtt.embedded) {
        this.#broker = new EmbeddedBroker({ host: config.embedded_broker.host, port: config.embedded_broker.port, log: log.child({ component: 'broker' }) });
        await this.#broker.start();
        url = this.#broker.url;
      }
      this.#brokerUrl = url;
      const connection = new MqttConnection(
        {
          url,
          protocolVersion: config.mqtt.protocol_version,
          clientId: config.mqtt.client_id,
          ...(config.mqtt.username !== undefined ? { username: config.mqtt.username } : {}),
          ...(config.mqtt.password !== undefined ? { password: config.mqtt.password } : {}),
          topicPrefix: config.mqtt.topic_prefix,
          clean: config.mqtt.clean_session,
          keepaliveS: config.mqtt.keepalive_s,
          sessionExpiryS: config.mqtt.session_expiry_s,
          reconnectPeriodMs: config.mqtt.reconnect_period_ms,
          connectTimeoutMs: config.mqtt.connect_timeout_ms,
          log,
        },
        (message) => this.#flow?.accept(message),
      );
      if (config.audit.enabled) {
        const topic = `${config.mqtt.topic_prefix}/audit`;
        this.#audit = new AuditLog({
          file: config.audit.file,
          maxBytes: config.audit.max_bytes,
          keep: config.audit.keep,
          log: log.child({ component: 'audit' }),
          ...(config.audit.mqtt ? { publish: (line: string) => connection.publishRaw(topic, line) } : {}),
        });
        log.info({ file: config.audit.file, mqtt: config.audit.mqtt }, 'audit trail');
      }
      const mqttExecutor = new MqttExecutor({ rules: config.execution.commands, topicPrefix: config.mqtt.topic_prefix, catalog, publisher: connection });
      const ha = this.#ha;
      const executor = new RoutedExecutor(mqttExecutor, ha ? new HaExecutor(ha, catalog, config.homeassistant.verify_ms) : undefined, config.execution.via, config.execution.routes);
      if (ha) {
        const statusTopic = `${config.mqtt.topic_prefix}/status/homeassistant`;
        const announce = (up: boolean): void => {
          connection.publishRaw(statusTopic, up ? 'connected' : 'disconnected', { retain: true }).catch(() => undefined);
        };
        ha.onStatus(announce);
        ha.onRequest((event) => this.#acceptHaRequest(event));
      }
      this.#flow = new RequestFlow({
        config,
        catalog,
        planners,
        executor,
        log,
        ...(this.#audit ? { audit: this.#audit } : {}),
        sendReply: (to, reply) =>
          connection.publishMessage('reply', to.topic, reply, to.correlationData ? { correlationData: to.correlationData } : {}),
      });
      this.#connection = connection;
      log.info({ url: redactUrl(url), client_id: config.mqtt.client_id, topic_prefix: config.mqtt.topic_prefix }, 'connecting to MQTT broker');
      await connection.start(signal);
      if (this.#ha) await connection.publishRaw(`${config.mqtt.topic_prefix}/status/homeassistant`, this.#ha.connected ? 'connected' : 'disconnected', { retain: true });
      log.info('Hestia is running');
      // The prompt prefix is evaluated (or loaded from disk) behind the first requests, not before
      // Hestia answers: the fast path works meanwhile, and model requests queue behind it.
      this.#model?.planner.warmUp(catalog).catch((err: unknown) => log.warn({ err }, 'could not prepare the model prompt'));
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Connects to Home Assistant and reads the home from it (retrying while it is unreachable). */
  async #startHomeAssistant(signal?: AbortSignal): Promise<Catalog> {
    const ha = this.#config.homeassistant;
    this.#ha = new HomeAssistantLink({
      url: ha.url as string,
      token: ha.token as string,
      exposure: { mode: ha.expose, include: ha.expose_include, exclude: ha.expose_exclude },
      requestEvent: ha.request_event,
      connectTimeoutMs: ha.connect_timeout_ms,
      log: this.#log,
    });
    return this.#ha.start(signal);
  }

  /** A request fired by an automation: answered with an event carrying the reply. */
  #acceptHaRequest(event: HaRequestEvent): void {
    const ha = this.#ha;
    const data = event.data;
    const id = typeof data['id'] === 'string' && data['id'] ? data['id'] : (event.contextId ?? randomUUID());
    // The source is not the event's to choose: an automation saying "voice" is still an automation.
    const payload = Buffer.from(JSON.stringify({ ...data, source: 'automation', id }));
    const respond = async (reply: ReplyMessage): Promise<void> => {
      await ha?.fireEvent(this.#config.homeassistant.response_event, { ...reply });
    };
    if (!this.#flow) {
      void respond({ id, status: 'busy', source: 'none', actions: [], query_entity_ids: [], speech: 'Hestia is starting.', timings_ms: {}, error: { code: 'HESTIA_BUSY', message: 'Hestia is still starting' }, published: [] }).catch(() => undefined);
      return;
    }
    this.#flow.accept({ payload }, respond);
  }

  /**
   * The model planner, or undefined when the default model cannot be had: Hestia then runs on the
   * fast path alone and says so. A model named in the configuration or on the command line that
   * cannot be loaded stops the start instead (HESTIA_MODEL_UNAVAILABLE, exit 78).
   */
  async #loadModel(memory: ConversationMemory, signal?: AbortSignal): Promise<ModelSetup | undefined> {
    const log = this.#log;
    try {
      return await setUpModel({ config: this.#config, log, env: this.#options.env ?? {}, memory, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (this.#config.model.path !== undefined) throw err;
      const { code, message } = errorInfo(err);
      log.warn(
        { code, reason: message },
        'the default model is not available, so requests the fast path does not understand are answered no_match; set model.path to a GGUF file, or model.enabled: false to silence this',
      );
      return undefined;
    }
  }

  /** Stops intake, finishes in-flight requests (each gets its reply), announces offline, disconnects. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #stop(): Promise<void> {
    const started = this.#connection !== undefined || this.#broker !== undefined;
    if (started) this.#log.info('stopping');
    await this.#flow?.drain();
    await this.#audit?.flush();
    this.#ha?.stop();
    await this.#model?.dispose();
    await this.#connection?.stop();
    await this.#broker?.stop();
    if (started) this.#log.info('stopped');
  }
}
