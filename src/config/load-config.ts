// Builds Hestia's configuration: embedded defaults, then the file (YAML or JSON), then command-line
// flags, validated in one pass (every problem with its path), secrets read from the environment or
// a password file, then frozen. Nothing else reads settings from anywhere.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { editDistance } from '../catalog/normalize.js';
import { HestiaError } from '../errors.js';
import type { LogLevel } from '../log/logger.js';
import { demoHomeFile } from './package-root.js';
import { configSchema, type CommandRule, type ConfigFile } from './schema.js';

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, resolved configuration every component reads. Frozen. */
export type HestiaConfig = DeepReadonly<
  Omit<ConfigFile, 'mqtt' | 'home' | 'execution' | 'policy' | 'audit' | 'homeassistant'> & {
    mqtt: Omit<ConfigFile['mqtt'], 'protocol_version'> & {
      protocol_version: 4 | 5;
      /** No url configured: Hestia runs its own broker (embedded_broker). */
      embedded: boolean;
      /** From HESTIA_MQTT_PASSWORD or password_file; redacted in logs. */
      password?: string;
    };
    home: { file: string };
    /** From HESTIA_PIN or policy.pin_file; redacted in logs, never audited. */
    policy: ConfigFile['policy'] & { pin?: string };
    audit: ConfigFile['audit'] & { file: string };
    /** token from HESTIA_HA_TOKEN or homeassistant.token_file; redacted in logs. */
    homeassistant: ConfigFile['homeassistant'] & { token?: string };
    /** The file the configuration came from, if any. */
    source: string | null;
  }
> & {
  // Payload templates are recursive JSON and already read-only; DeepReadonly would not terminate.
  readonly execution: DeepReadonly<Omit<ConfigFile['execution'], 'commands'>> & { readonly commands: readonly Readonly<CommandRule>[] };
};

/** What command-line flags may change. Passwords are not among them. */
export interface ConfigOverrides {
  mqttUrl?: string;
  topicPrefix?: string;
  home?: string;
  model?: string;
  noModel?: boolean;
  logLevel?: string;
  haUrl?: string;
  haTokenFile?: string;
}

export interface LoadConfigOptions {
  /** The configuration file; embedded defaults only when absent. */
  file?: string;
  overrides?: ConfigOverrides;
  env?: Record<string, string | undefined>;
  /** Relative paths given as flags resolve against this directory. */
  cwd?: string;
}

// verbose: problems carry the offending value and the schema around it, for messages that help.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, verbose: true });
const validateConfig = ajv.compile(configSchema);

export async function loadConfig(options: LoadConfigOptions = {}): Promise<HestiaConfig> {
  const raw = options.file ? await readConfigFile(options.file) : {};
  return buildConfig(raw, { ...options, source: options.file ?? null });
}

/** Validates and resolves an already parsed configuration object. */
export async function buildConfig(
  raw: unknown,
  options: LoadConfigOptions & { source?: string | null } = {},
): Promise<HestiaConfig> {
  const cwd = options.cwd ?? process.cwd();
  const source = options.source ? resolve(cwd, options.source) : null;
  // Paths written in the file are relative to the file; paths given as flags to the working directory.
  const fileDir = source ? dirname(source) : cwd;
  const config = structuredClone(raw ?? {}) as Record<string, unknown>;
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw badConfig(source, ['(top level): must be a mapping of sections (mqtt, home, ...)']);
  }
  // A YAML section whose options are all commented out reads as null: it means "all defaults".
  for (const [section, value] of Object.entries(config)) if (value === null) delete config[section];
  const fromFlag = applyOverrides(config, options.overrides ?? {}, cwd);

  if (!validateConfig(config)) {
    throw badConfig(source, (validateConfig.errors ?? []).map((e) => describeProblem(e, fromFlag)));
  }
  const file: ConfigFile = config;
  const problems: string[] = [];
  const embedded = file.mqtt.url === '';
  if (embedded && file.mqtt.protocol_version === 5) {
    problems.push('mqtt.protocol_version: must be 4 with the embedded broker (it speaks MQTT 3.1.1); set mqtt.url to use MQTT 5');
  }
  if (file.mqtt.url && hasUrlPassword(file.mqtt.url)) {
    problems.push(
      `mqtt.url: must not contain a password${fromFlag.get('/mqtt/url') ? ` (from ${fromFlag.get('/mqtt/url')})` : ''}; set HESTIA_MQTT_PASSWORD or mqtt.password_file`,
    );
  }
  if (problems.length > 0) throw badConfig(source, problems);

  const env = options.env ?? {};
  const password = await readPassword(env, file.mqtt.password_file, fileDir, source);
  const username = env.HESTIA_MQTT_USERNAME || file.mqtt.username;
  const homeFile = file.home.file ? absolute(file.home.file, fromFlag.has('/home/file') ? cwd : fileDir) : demoHomeFile();
  const pin = await readPin(env, file.policy.pin_file, fileDir, source);
  const haToken = env.HESTIA_HA_TOKEN || (file.homeassistant.token_file ? (await readSecretFile(absolute(file.homeassistant.token_file, fromFlag.has('/homeassistant/token_file') ? cwd : fileDir), 'homeassistant.token_file', source)).trim() : undefined);
  if (file.homeassistant.url && !haToken) {
    throw badConfig(source, ['homeassistant.url is set but there is no access token: set HESTIA_HA_TOKEN or homeassistant.token_file (a long-lived token from your Home Assistant profile)']);
  }
  const auditFile = file.audit.file ? absolute(file.audit.file, fileDir) : defaultAuditFile(env);
  const resolved = {
    ...file,
    policy: { ...file.policy, ...(pin !== undefined ? { pin } : {}) },
    audit: { ...file.audit, file: auditFile },
    homeassistant: { ...file.homeassistant, ...(haToken ? { token: haToken } : {}) },
    mqtt: {
      ...file.mqtt,
      protocol_version: (file.mqtt.protocol_version ?? (embedded ? 4 : 5)) as 4 | 5,
      embedded,
      ...(username ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    },
    home: { file: homeFile },
    model: {
      ...file.model,
      ...(file.model.path ? { path: isModelUri(file.model.path) ? file.model.path : absolute(file.model.path, fromFlag.has('/model/path') ? cwd : fileDir) } : {}),
      ...(file.model.cache_dir ? { cache_dir: absolute(file.model.cache_dir, fileDir) } : {}),
    },
    source,
  };
  deepFreeze(resolved);
  return resolved as HestiaConfig;
}

async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HestiaError('HESTIA_BAD_CONFIG', `cannot read configuration file ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    // YAML is a superset of JSON, so one parser reads both.
    return parseYaml(text) ?? {};
  } catch (cause) {
    throw new HestiaError('HESTIA_BAD_CONFIG', `configuration file ${file} is not valid YAML or JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Writes flag values into the raw config; returns which JSON pointer came from which flag. */
function applyOverrides(config: Record<string, unknown>, o: ConfigOverrides, cwd: string): Map<string, string> {
  const fromFlag = new Map<string, string>();
  const set = (section: string, key: string, value: unknown, flag: string): void => {
    const current = config[section];
    const target = current && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
    target[key] = value;
    config[section] = target;
    fromFlag.set(`/${section}/${key}`, flag);
  };
  if (o.mqttUrl !== undefined) set('mqtt', 'url', o.mqttUrl, '--mqtt-url');
  if (o.topicPrefix !== undefined) set('mqtt', 'topic_prefix', o.topicPrefix, '--topic-prefix');
  if (o.home !== undefined) set('home', 'file', resolve(cwd, o.home), '--home');
  if (o.model !== undefined) set('model', 'path', isModelUri(o.model) ? o.model : resolve(cwd, o.model), '--model');
  if (o.noModel) {
    set('model', 'enabled', false, '--no-model');
  } else if (o.model !== undefined) {
    set('model', 'enabled', true, '--model');
  }
  if (o.logLevel !== undefined) set('log', 'level', o.logLevel as LogLevel, '--log-level');
  if (o.haUrl !== undefined) set('homeassistant', 'url', o.haUrl, '--ha-url');
  if (o.haTokenFile !== undefined) set('homeassistant', 'token_file', resolve(cwd, o.haTokenFile), '--ha-token-file');
  return fromFlag;
}

/** Where the audit trail goes by default: systemd's StateDirectory, else the XDG state folder. */
function defaultAuditFile(env: Record<string, string | undefined>): string {
  if (env.STATE_DIRECTORY) return join(env.STATE_DIRECTORY.split(':')[0] as string, 'audit.jsonl');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'hestia', 'audit.jsonl');
}

async function readPin(env: Record<string, string | undefined>, pinFile: string | undefined, fileDir: string, source: string | null): Promise<string | undefined> {
  const raw = env.HESTIA_PIN ?? (pinFile ? await readSecretFile(absolute(pinFile, fileDir), 'policy.pin_file', source) : undefined);
  if (raw === undefined || raw.trim() === '') return undefined;
  const pin = raw.trim();
  if (!/^\d{4,8}$/.test(pin)) throw badConfig(source, ['policy PIN (HESTIA_PIN or policy.pin_file): must be 4 to 8 digits']);
  return pin;
}

async function readSecretFile(path: string, what: string, source: string | null): Promise<string> {
  try {
    // A trailing newline is what editors and `echo` leave; it is never part of the secret.
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (cause) {
    throw badConfig(source, [`${what}: cannot read ${path}: ${(cause as Error).message}`]);
  }
}

async function readPassword(
  env: Record<string, string | undefined>,
  passwordFile: string | undefined,
  fileDir: string,
  source: string | null,
): Promise<string | undefined> {
  if (env.HESTIA_MQTT_PASSWORD) return env.HESTIA_MQTT_PASSWORD;
  if (!passwordFile) return undefined;
  return readSecretFile(absolute(passwordFile, fileDir), 'mqtt.password_file', source);
}

function hasUrlPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return /\/\/[^/@]*:[^/@]*@/.test(url);
  }
}

/** hf:, huggingface: and http(s) URIs name a model to download; anything else is a file path. */
export function isModelUri(path: string): boolean {
  return /^(hf:|huggingface:|https?:\/\/)/i.test(path);
}

function absolute(path: string, base: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

/** `/execution/commands/0/topic` -> `execution.commands[0].topic`. */
export function dottedPath(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(top level)';
}

function describeProblem(e: ErrorObject, fromFlag: Map<string, string>): string {
  const path = dottedPath(e.instancePath);
  const flag = fromFlag.get(e.instancePath);
  const origin = flag ? ` (from ${flag})` : '';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const where = path === '(top level)' ? name : `${path}.${name}`;
      return `${where}: unknown option${suggest(name, e.parentSchema)}`;
    }
    case 'enum':
      return `${path}${origin}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(e.data)})`;
    case 'type':
      return `${path}${origin}: must be ${String(params.type).replace(/,/g, ' or ')} (got ${JSON.stringify(e.data)})`;
    case 'pattern':
      return `${path}${origin}: ${patternHint(path)} (got ${JSON.stringify(e.data)})`;
    default:
      return `${path}${origin}: ${e.message ?? 'is invalid'} (got ${JSON.stringify(e.data)})`;
  }
}

function patternHint(path: string): string {
  if (path === 'mqtt.url') return 'must be empty (embedded broker) or a mqtt://, mqtts://, ws:// or wss:// URL';
  if (path === 'mqtt.topic_prefix') return 'must be topic levels without wildcards (+, #) or leading/trailing slashes';
  if (path.startsWith('sites.')) return 'must be an area id (lowercase letters, digits, _)';
  if (path.endsWith('.match')) return 'must be an entity id or a glob over entity ids such as light.* (or * for all)';
  if (path.endsWith('.service')) return 'must be a service name or a glob such as turn_*';
  return 'has the wrong form';
}

function suggest(name: string, parentSchema: unknown): string {
  if (/pass(word)?$/i.test(name)) return ' (a password never goes in the configuration: set HESTIA_MQTT_PASSWORD or mqtt.password_file)';
  const known = Object.keys((parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
  const squash = (s: string): string => s.replace(/[_-]/g, '').toLowerCase();
  const close = known.find((k) => squash(k) === squash(name) || editDistance(k, name, 2) <= (k.length >= 6 ? 2 : 1));
  return close ? ` (did you mean ${close}?)` : known.length ? ` (known: ${known.join(', ')})` : '';
}

function badConfig(source: string | null, problems: string[]): HestiaError {
  const where = source ? `invalid configuration in ${source}` : 'invalid configuration';
  return new HestiaError('HESTIA_BAD_CONFIG', `${where}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

function deepFreeze(value: unknown): void {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
}
