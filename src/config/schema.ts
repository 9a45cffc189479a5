// The configuration file's one schema. ajv checks a file against it in one pass (every problem with
// its path) and fills in the defaults, so a missing file and an empty file mean the same thing.
// The TypeScript type below is tied to the schema by ajv's JSONSchemaType: change one, and the
// compiler asks for the other.
import type { JSONSchemaType } from 'ajv';
import { LOG_LEVELS, type LogLevel } from '../log/logger.js';

/** A JSON value as written in a payload template. */
export type JsonTemplate = string | number | boolean | null | readonly JsonTemplate[] | { readonly [k: string]: JsonTemplate };

export interface CommandRule {
  /** An entity id (`light.kitchen_ceiling`) or a glob over entity ids (`light.*`, `*.garden_*`). */
  match: string;
  /** Only for this service (a glob too: `turn_*`); every service when absent. */
  service?: string;
  /** Topic template; the default command topic when absent. */
  topic?: string;
  /** Payload template: an object/array/number/boolean is sent as JSON, a string is sent raw. */
  payload?: JsonTemplate;
  retain?: boolean;
}

export interface ConfigFile {
  mqtt: {
    url: string;
    /** 4 (MQTT 3.1.1) or 5; when absent, 5 for an external broker and 4 for the embedded one. */
    protocol_version?: number;
    client_id: string;
    username?: string;
    password_file?: string;
    topic_prefix: string;
    keepalive_s: number;
    clean_session: boolean;
    session_expiry_s: number;
    reconnect_period_ms: number;
    connect_timeout_ms: number;
  };
  embedded_broker: { host: string; port: number };
  home: { file?: string };
  model: {
    /** A GGUF file or an hf:/https: URI; the default DeepSeek-R1-Distill-Qwen-1.5B download when absent. */
    path?: string;
    enabled: boolean;
    gpu: 'auto' | 'cuda' | 'cpu';
    /** llama.cpp CPU threads; the machine's math cores when absent. */
    threads?: number;
    context_size: number;
    max_queue: number;
    max_tokens: number;
    thought_budget: number;
    temperature: number;
    whole_home_max_entities: number;
    candidate_budget: number;
    /** Downloads and the saved prompt state; $CACHE_DIRECTORY or ~/.cache/hestia when absent. */
    cache_dir?: string;
    /** Download a model named by URI when it is not cached yet. */
    download: boolean;
    warm_start: boolean;
  };
  requests: {
    max_text_length: number;
    max_payload_bytes: number;
    dedupe_window_s: number;
    default_deadline_ms: number;
  };
  sites: Record<string, string>;
  execution: {
    commands: CommandRule[];
    /** Where actions go when Home Assistant is configured: its call_service, MQTT commands, or both. */
    via: 'ha' | 'mqtt' | 'both';
    /** Per-entity routes (globs), first match wins. */
    routes: Array<{ match: string; via: 'ha' | 'mqtt' | 'both' }>;
  };
  homeassistant: {
    /** ws(s)://host:8123/api/websocket; Home Assistant is not used when absent. */
    url?: string;
    /** A file holding the long-lived access token; HESTIA_HA_TOKEN wins over it. */
    token_file?: string;
    request_event: string;
    response_event: string;
    /** assistant: the entities HA exposes to voice assistants; all: every visible entity. */
    expose: 'assistant' | 'all';
    expose_include: string[];
    expose_exclude: string[];
    /** How long to wait for the state an action implies before saying it did not respond. */
    verify_ms: number;
    connect_timeout_ms: number;
  };
  policy: {
    allow_domains?: string[];
    deny_domains: string[];
    deny_entities: string[];
    rules: Array<{ match?: string; service?: string; sources?: Array<'voice' | 'automation' | 'cli'>; tier: 'allow' | 'confirm' | 'confirm_pin' | 'deny' }>;
    climate_min_c: number;
    climate_max_c: number;
    max_actions: number;
    confirm_window_s: number;
    /** A file holding the PIN for confirm_pin actions; HESTIA_PIN wins over it. */
    pin_file?: string;
    /** Wrong PINs before a pending confirmation is cancelled. */
    max_pin_attempts: number;
    sources: { voice: { risky: 'confirm' | 'deny' }; automation: { risky: 'confirm' | 'deny' }; cli: { risky: 'confirm' | 'deny' } };
    /** Requests per minute from one site (or one source without a site). */
    rate_limit_per_minute: number;
    /** The same text from the same site within this many ms is answered once. */
    burst_window_ms: number;
  };
  audit: {
    enabled: boolean;
    /** Append-only JSON lines; $STATE_DIRECTORY/audit.jsonl or ~/.local/state/hestia/audit.jsonl when absent. */
    file?: string;
    max_bytes: number;
    keep: number;
    /** Also publish every line on <prefix>/audit. */
    mqtt: boolean;
  };
  log: { level: LogLevel };
}

// An absent section starts empty; ajv then fills each of its properties from their own defaults.
// (JSONSchemaType types a section's default as the whole section, hence the cast.)
const emptySection = {} as never;
const optionalString = { type: 'string', minLength: 1, nullable: true } as const;
// A topic level or prefix: no MQTT wildcards, no leading or trailing slash.
const TOPIC_PREFIX = '^[^/+#\\u0000]+(/[^/+#\\u0000]+)*$';

export const configSchema: JSONSchemaType<ConfigFile> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    mqtt: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        url: { type: 'string', pattern: '^$|^(mqtt|mqtts|ws|wss|tcp|ssl)://', default: '' },
        protocol_version: { type: 'integer', enum: [4, 5], nullable: true },
        client_id: { type: 'string', minLength: 1, maxLength: 200, default: 'hestia' },
        username: optionalString,
        password_file: optionalString,
        topic_prefix: { type: 'string', pattern: TOPIC_PREFIX, default: 'hestia' },
        keepalive_s: { type: 'integer', minimum: 0, maximum: 65535, default: 30 },
        clean_session: { type: 'boolean', default: false },
        session_expiry_s: { type: 'integer', minimum: 0, maximum: 4294967295, default: 86400 },
        reconnect_period_ms: { type: 'integer', minimum: 100, maximum: 600000, default: 2000 },
        connect_timeout_ms: { type: 'integer', minimum: 100, maximum: 600000, default: 10000 },
      },
    },
    embedded_broker: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        host: { type: 'string', minLength: 1, default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 1883 },
      },
    },
    home: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: { file: optionalString },
    },
    model: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        path: optionalString,
        enabled: { type: 'boolean', default: true },
        gpu: { type: 'string', enum: ['auto', 'cuda', 'cpu'], default: 'auto' },
        threads: { type: 'integer', minimum: 1, maximum: 256, nullable: true },
        context_size: { type: 'integer', minimum: 2048, maximum: 131072, default: 8192 },
        max_queue: { type: 'integer', minimum: 0, maximum: 1000, default: 8 },
        max_tokens: { type: 'integer', minimum: 16, maximum: 4096, default: 160 },
        thought_budget: { type: 'integer', minimum: 0, maximum: 4096, default: 0 },
        temperature: { type: 'number', minimum: 0, maximum: 2, default: 0 },
        whole_home_max_entities: { type: 'integer', minimum: 0, maximum: 100000, default: 250 },
        candidate_budget: { type: 'integer', minimum: 1, maximum: 1000, default: 40 },
        cache_dir: optionalString,
        download: { type: 'boolean', default: true },
        warm_start: { type: 'boolean', default: true },
      },
    },
    requests: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        max_text_length: { type: 'integer', minimum: 1, maximum: 100000, default: 1000 },
        max_payload_bytes: { type: 'integer', minimum: 64, maximum: 268435455, default: 16384 },
        dedupe_window_s: { type: 'number', minimum: 0, maximum: 86400, default: 300 },
        default_deadline_ms: { type: 'integer', minimum: 1, maximum: 3600000, default: 15000 },
      },
    },
    sites: {
      type: 'object',
      required: [],
      default: emptySection,
      additionalProperties: { type: 'string', pattern: '^[a-z0-9_]+$' },
    },
    execution: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        commands: {
          type: 'array',
          default: [],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['match'],
            properties: {
              match: { type: 'string', pattern: '^[a-z0-9_*?]+\\.[a-z0-9_*?]+$|^\\*$' },
              service: { type: 'string', pattern: '^[a-z0-9_*?]+$', nullable: true },
              topic: { type: 'string', minLength: 1, nullable: true },
              // Any JSON value; JSONSchemaType cannot spell a recursive union, hence the cast.
              payload: { type: ['string', 'number', 'boolean', 'object', 'array'] } as never,
              retain: { type: 'boolean', nullable: true },
            },
          },
        },
        via: { type: 'string', enum: ['ha', 'mqtt', 'both'], default: 'ha' },
        routes: {
          type: 'array',
          default: [],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['match', 'via'],
            properties: {
              match: { type: 'string', pattern: '^[a-z0-9_*?]+\\.[a-z0-9_*?]+$|^\\*$' },
              via: { type: 'string', enum: ['ha', 'mqtt', 'both'] },
            },
          },
        },
      },
    },
    homeassistant: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        url: { type: 'string', pattern: '^wss?://', nullable: true },
        token_file: optionalString,
        request_event: { type: 'string', pattern: '^[a-z0-9_]+$', default: 'hestia_request' },
        response_event: { type: 'string', pattern: '^[a-z0-9_]+$', default: 'hestia_response' },
        expose: { type: 'string', enum: ['assistant', 'all'], default: 'assistant' },
        expose_include: { type: 'array', items: { type: 'string' }, default: [] },
        expose_exclude: { type: 'array', items: { type: 'string' }, default: [] },
        verify_ms: { type: 'integer', minimum: 0, maximum: 60000, default: 2000 },
        connect_timeout_ms: { type: 'integer', minimum: 100, maximum: 120000, default: 10000 },
      },
    },
    policy: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        allow_domains: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9_]+$' }, nullable: true },
        deny_domains: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9_]+$' }, default: ['siren', 'update', 'camera'] },
        deny_entities: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9_*?]+\\.[a-z0-9_*?]+$' }, default: [] },
        rules: {
          type: 'array',
          default: [],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['tier'],
            properties: {
              match: { type: 'string', pattern: '^[a-z0-9_*?]+\\.[a-z0-9_*?]+$|^\\*$', nullable: true },
              service: { type: 'string', pattern: '^[a-z0-9_*?]+\\.[a-z0-9_*?]+$|^\\*$', nullable: true },
              sources: { type: 'array', items: { type: 'string', enum: ['voice', 'automation', 'cli'] }, nullable: true },
              tier: { type: 'string', enum: ['allow', 'confirm', 'confirm_pin', 'deny'] },
            },
          },
        },
        climate_min_c: { type: 'number', minimum: -50, maximum: 100, default: 12 },
        climate_max_c: { type: 'number', minimum: -50, maximum: 100, default: 28 },
        max_actions: { type: 'integer', minimum: 1, maximum: 64, default: 10 },
        confirm_window_s: { type: 'number', exclusiveMinimum: 0, maximum: 600, default: 30 },
        pin_file: optionalString,
        max_pin_attempts: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
        sources: {
          type: 'object',
          additionalProperties: false,
          required: [],
          default: emptySection,
          properties: {
            voice: { type: 'object', additionalProperties: false, required: [], default: { risky: 'confirm' } as never, properties: { risky: { type: 'string', enum: ['confirm', 'deny'], default: 'confirm' } } },
            automation: { type: 'object', additionalProperties: false, required: [], default: { risky: 'deny' } as never, properties: { risky: { type: 'string', enum: ['confirm', 'deny'], default: 'deny' } } },
            cli: { type: 'object', additionalProperties: false, required: [], default: { risky: 'confirm' } as never, properties: { risky: { type: 'string', enum: ['confirm', 'deny'], default: 'confirm' } } },
          },
        },
        rate_limit_per_minute: { type: 'integer', minimum: 1, maximum: 100000, default: 60 },
        burst_window_ms: { type: 'integer', minimum: 0, maximum: 60000, default: 2000 },
      },
    },
    audit: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: {
        enabled: { type: 'boolean', default: true },
        file: optionalString,
        max_bytes: { type: 'integer', minimum: 1024, maximum: 1073741824, default: 10485760 },
        keep: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
        mqtt: { type: 'boolean', default: false },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: emptySection,
      properties: { level: { type: 'string', enum: [...LOG_LEVELS], default: 'info' } },
    },
  },
};
