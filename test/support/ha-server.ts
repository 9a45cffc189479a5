// A websocket server that speaks Home Assistant's documented websocket API for the messages Hestia
// uses, so the real client library (home-assistant-js-websocket) can be driven against it: the
// auth phase (auth_required / auth / auth_ok | auth_invalid), results and errors with HA's codes,
// ping/pong, subscribe_events / unsubscribe_events, subscribe_entities, get_states, get_services,
// get_config, the area/floor/device/entity registries, the exposed-entity list, call_service with
// the state changes it implies, and fire_event. It can fail a service, leave a device unresponsive,
// go down and come back on the same port.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface HaState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed?: string;
  last_updated?: string;
}

export interface HaHome {
  states: HaState[];
  areas: Array<{ area_id: string; name: string; aliases?: string[]; floor_id?: string | null }>;
  floors: Array<{ floor_id: string; name: string; aliases?: string[]; level?: number | null }>;
  devices: Array<{ id: string; name: string; area_id: string | null; name_by_user?: string | null }>;
  /** Entity registry entries; `aliases` come back only from get_entries, as in Home Assistant. */
  entities: Array<{ entity_id: string; name?: string | null; original_name?: string | null; area_id?: string | null; device_id?: string | null; hidden_by?: string | null; disabled_by?: string | null; aliases?: string[] }>;
  services: Record<string, Record<string, { name?: string; description?: string; fields: Record<string, unknown>; target?: unknown }>>;
  /** entity_id -> {conversation: true/false}. */
  exposed: Record<string, Record<string, boolean>>;
}

interface Client {
  socket: WebSocket;
  authed: boolean;
  subscriptions: Map<number, { kind: 'events'; eventType: string | null } | { kind: 'entities'; ids: string[] | null }>;
}

export interface ServiceCall {
  domain: string;
  service: string;
  service_data: Record<string, unknown>;
  target: { entity_id?: string[] };
}

const HA_VERSION = '2025.6.0';
const now = (): string => new Date().toISOString();
const context = () => ({ id: randomUUID().replace(/-/g, ''), parent_id: null, user_id: null });

export class HomeAssistantTestServer {
  readonly token: string;
  readonly calls: ServiceCall[] = [];
  readonly firedEvents: Array<{ event_type: string; event_data: Record<string, unknown> }> = [];
  /** Commands received, by type, for asserting re-syncs. */
  readonly received: string[] = [];
  /** Services that fail: "domain.service" -> the error HA would send. */
  readonly failures = new Map<string, { code: string; message: string }>();
  /** Drops the connection when the next call_service arrives, before answering it. */
  dropOnNextCall = false;
  /** Entities whose state does not change when a service is called (a device that does not respond). */
  readonly unresponsive = new Set<string>();
  readonly #home: HaHome;
  #states = new Map<string, HaState>();
  #http: Server | undefined;
  #wss: WebSocketServer | undefined;
  readonly #clients = new Set<Client>();
  #port = 0;

  private constructor(home: HaHome, token: string) {
    this.#home = home;
    this.token = token;
    for (const s of home.states) this.#states.set(s.entity_id, { last_changed: now(), last_updated: now(), ...structuredClone(s) });
  }

  static async start(home: HaHome, options: { token?: string; port?: number } = {}): Promise<HomeAssistantTestServer> {
    const server = new HomeAssistantTestServer(home, options.token ?? 'test-token');
    await server.listen(options.port ?? 0);
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}/api/websocket`;
  }

  get connectedClients(): number {
    return [...this.#clients].filter((c) => c.authed).length;
  }

  state(entityId: string): HaState | undefined {
    return this.#states.get(entityId);
  }

  async listen(port: number): Promise<void> {
    const http = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ server: http, path: '/api/websocket' });
    wss.on('connection', (socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => resolve());
    });
    this.#http = http;
    this.#wss = wss;
    this.#port = (http.address() as AddressInfo).port;
  }

  /** Goes down: every connection is dropped and nothing listens until listen() again. */
  async stop(): Promise<void> {
    for (const c of this.#clients) c.socket.terminate();
    this.#clients.clear();
    await new Promise<void>((resolve) => (this.#wss ? this.#wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.#http ? this.#http.close(() => resolve()) : resolve()));
    this.#http = undefined;
    this.#wss = undefined;
  }

  /** Comes back on the same port. */
  async restart(): Promise<void> {
    await this.listen(this.#port);
  }

  /** A state change from the home itself (a switch pressed, a sensor ticking). */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): void {
    const old = this.#states.get(entityId);
    const next: HaState = { entity_id: entityId, state, attributes: attributes ?? old?.attributes ?? {}, last_changed: now(), last_updated: now() };
    this.#states.set(entityId, next);
    this.fireEvent('state_changed', { entity_id: entityId, old_state: old ?? null, new_state: next });
    for (const c of this.#clients) {
      for (const [id, sub] of c.subscriptions) {
        if (sub.kind === 'entities' && (!sub.ids || sub.ids.includes(entityId))) {
          this.#send(c, { id, type: 'event', event: { c: { [entityId]: { '+': { s: state, a: next.attributes, lc: Date.now() / 1000 } } } } });
        }
      }
    }
  }

  /** An event on Home Assistant's bus, delivered to every matching subscription. */
  fireEvent(eventType: string, data: Record<string, unknown>): void {
    const event = { event_type: eventType, data, origin: 'LOCAL', time_fired: now(), context: context() };
    for (const c of this.#clients) {
      for (const [id, sub] of c.subscriptions) {
        if (sub.kind === 'events' && (sub.eventType === null || sub.eventType === eventType)) this.#send(c, { id, type: 'event', event });
      }
    }
  }

  /** Changes the registry (a rename, an alias) and tells subscribers, as HA does. */
  updateEntity(entityId: string, change: Partial<HaHome['entities'][number]>): void {
    const entry = this.#home.entities.find((e) => e.entity_id === entityId);
    if (entry) Object.assign(entry, change);
    this.fireEvent('entity_registry_updated', { action: 'update', entity_id: entityId, changes: Object.keys(change) });
  }

  #accept(socket: WebSocket): void {
    const client: Client = { socket, authed: false, subscriptions: new Map() };
    this.#clients.add(client);
    socket.on('close', () => this.#clients.delete(client));
    socket.on('message', (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString());
      } catch {
        socket.close(1003, 'not JSON');
        return;
      }
      for (const msg of Array.isArray(parsed) ? parsed : [parsed]) this.#handle(client, msg as Record<string, unknown>);
    });
    this.#send(client, { type: 'auth_required', ha_version: HA_VERSION });
  }

  #send(client: Client, message: unknown): void {
    if (client.socket.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(message));
  }

  #result(client: Client, id: number, result: unknown): void {
    this.#send(client, { id, type: 'result', success: true, result });
  }

  #error(client: Client, id: number, code: string, message: string): void {
    this.#send(client, { id, type: 'result', success: false, error: { code, message } });
  }

  #handle(client: Client, msg: Record<string, unknown>): void {
    if (!client.authed) {
      if (msg.type === 'auth' && msg.access_token === this.token) {
        client.authed = true;
        this.#send(client, { type: 'auth_ok', ha_version: HA_VERSION });
      } else {
        this.#send(client, { type: 'auth_invalid', message: 'Invalid access token or password' });
        client.socket.close();
      }
      return;
    }
    const id = msg.id;
    if (typeof id !== 'number') {
      client.socket.close(1002, 'message without id');
      return;
    }
    const type = String(msg.type);
    this.received.push(type);
    const home = this.#home;
    switch (type) {
      case 'supported_features':
        return this.#result(client, id, null);
      case 'ping':
        return this.#send(client, { id, type: 'pong' });
      case 'get_states':
        return this.#result(client, id, [...this.#states.values()]);
      case 'get_config':
        return this.#result(client, id, { location_name: 'Test Home', unit_system: { temperature: '°C' }, version: HA_VERSION, components: Object.keys(home.services) });
      case 'get_services':
        return this.#result(client, id, home.services);
      case 'config/area_registry/list':
        return this.#result(client, id, home.areas.map((a) => ({ aliases: [], floor_id: null, icon: null, labels: [], picture: null, ...a })));
      case 'config/floor_registry/list':
        return this.#result(client, id, home.floors.map((f) => ({ aliases: [], icon: null, level: null, ...f })));
      case 'config/device_registry/list':
        return this.#result(client, id, home.devices.map((d) => ({ name_by_user: null, disabled_by: null, ...d })));
      case 'config/entity_registry/list':
        // As in HA, the list holds no aliases: those come from get_entries.
        return this.#result(
          client,
          id,
          home.entities.map(({ aliases: _aliases, ...e }) => ({ name: null, original_name: null, area_id: null, device_id: null, hidden_by: null, disabled_by: null, platform: 'test', ...e })),
        );
      case 'config/entity_registry/get_entries': {
        const ids = Array.isArray(msg.entity_ids) ? (msg.entity_ids as string[]) : [];
        const out: Record<string, unknown> = {};
        for (const entityId of ids) {
          const e = home.entities.find((x) => x.entity_id === entityId);
          out[entityId] = e ? { aliases: [], name: null, original_name: null, area_id: null, device_id: null, hidden_by: null, disabled_by: null, options: {}, ...e } : null;
        }
        return this.#result(client, id, out);
      }
      case 'homeassistant/expose_entity/list':
        return this.#result(client, id, { exposed_entities: home.exposed });
      case 'subscribe_events': {
        const eventType = typeof msg.event_type === 'string' ? msg.event_type : null;
        client.subscriptions.set(id, { kind: 'events', eventType });
        return this.#result(client, id, null);
      }
      case 'subscribe_entities': {
        const ids = Array.isArray(msg.entity_ids) ? (msg.entity_ids as string[]) : null;
        client.subscriptions.set(id, { kind: 'entities', ids });
        this.#result(client, id, null);
        const a: Record<string, unknown> = {};
        for (const s of this.#states.values()) if (!ids || ids.includes(s.entity_id)) a[s.entity_id] = { s: s.state, a: s.attributes, c: '', lc: Date.now() / 1000 };
        return this.#send(client, { id, type: 'event', event: { a } });
      }
      case 'unsubscribe_events': {
        const sub = Number(msg.subscription);
        if (!client.subscriptions.delete(sub)) return this.#error(client, id, 'not_found', 'Subscription not found.');
        return this.#result(client, id, null);
      }
      case 'fire_event': {
        const eventType = String(msg.event_type ?? '');
        const data = (msg.event_data ?? {}) as Record<string, unknown>;
        if (!eventType) return this.#error(client, id, 'invalid_format', "required key not provided @ data['event_type']");
        this.firedEvents.push({ event_type: eventType, event_data: data });
        this.#result(client, id, { context: context() });
        return this.fireEvent(eventType, data);
      }
      case 'call_service':
        return this.#callService(client, id, msg);
      default:
        return this.#error(client, id, 'unknown_command', 'Unknown command.');
    }
  }

  #callService(client: Client, id: number, msg: Record<string, unknown>): void {
    const domain = String(msg.domain ?? '');
    const service = String(msg.service ?? '');
    const data = (msg.service_data ?? {}) as Record<string, unknown>;
    const rawTarget = (msg.target ?? {}) as { entity_id?: string | string[] };
    const ids = rawTarget.entity_id === undefined ? [] : Array.isArray(rawTarget.entity_id) ? rawTarget.entity_id : [rawTarget.entity_id];
    if (!this.#home.services[domain]?.[service]) return this.#error(client, id, 'not_found', `Service ${domain}.${service} not found.`);
    if (this.dropOnNextCall) {
      this.dropOnNextCall = false;
      client.socket.terminate();
      return;
    }
    const failure = this.failures.get(`${domain}.${service}`);
    this.calls.push({ domain, service, service_data: data, target: { entity_id: ids } });
    if (failure) return this.#error(client, id, failure.code, failure.message);
    for (const entityId of ids) {
      if (!this.#states.has(entityId)) return this.#error(client, id, 'service_validation_error', `Referenced entities ${entityId} are missing or not currently available`);
    }
    this.#result(client, id, { context: context(), response: null });
    for (const entityId of ids) {
      if (this.unresponsive.has(entityId)) continue;
      const old = this.#states.get(entityId) as HaState;
      const next = applyService(domain, service, data, old);
      if (next) setTimeout(() => this.setState(entityId, next.state, next.attributes), 20);
    }
  }
}

/** The state a call leaves an entity in, as the integrations behind HA's services would. */
function applyService(domain: string, service: string, data: Record<string, unknown>, old: HaState): { state: string; attributes: Record<string, unknown> } | undefined {
  const attributes = { ...old.attributes };
  const toggled = old.state === 'on' ? 'off' : 'on';
  switch (`${domain}.${service}`) {
    case 'light.turn_on':
      if (typeof data.brightness_pct === 'number') attributes.brightness = Math.round((data.brightness_pct * 255) / 100);
      if (typeof data.color_temp_kelvin === 'number') attributes.color_temp_kelvin = data.color_temp_kelvin;
      if (typeof data.color_name === 'string') attributes.color_mode = 'hs';
      return { state: 'on', attributes };
    case 'light.turn_off':
    case 'switch.turn_off':
    case 'fan.turn_off':
    case 'input_boolean.turn_off':
    case 'media_player.turn_off':
    case 'climate.turn_off':
      return { state: 'off', attributes };
    case 'switch.turn_on':
    case 'fan.turn_on':
    case 'input_boolean.turn_on':
    case 'media_player.turn_on':
      return { state: 'on', attributes };
    case 'light.toggle':
    case 'switch.toggle':
    case 'fan.toggle':
      return { state: toggled, attributes };
    case 'fan.set_percentage':
      return { state: Number(data.percentage) > 0 ? 'on' : 'off', attributes: { ...attributes, percentage: data.percentage } };
    case 'cover.open_cover':
      return { state: 'open', attributes: { ...attributes, current_position: 100 } };
    case 'cover.close_cover':
      return { state: 'closed', attributes: { ...attributes, current_position: 0 } };
    case 'cover.set_cover_position':
      return { state: Number(data.position) > 0 ? 'open' : 'closed', attributes: { ...attributes, current_position: data.position } };
    case 'lock.lock':
      return { state: 'locked', attributes };
    case 'lock.unlock':
      return { state: 'unlocked', attributes };
    case 'climate.set_temperature':
      return { state: old.state, attributes: { ...attributes, temperature: data.temperature } };
    case 'climate.set_hvac_mode':
      return { state: String(data.hvac_mode), attributes };
    case 'media_player.media_play':
      return { state: 'playing', attributes };
    case 'media_player.media_pause':
      return { state: 'paused', attributes };
    case 'media_player.volume_set':
      return { state: old.state, attributes: { ...attributes, volume_level: data.volume_level } };
    case 'vacuum.start':
      return { state: 'cleaning', attributes };
    case 'vacuum.return_to_base':
      return { state: 'returning', attributes };
    case 'valve.open_valve':
      return { state: 'open', attributes };
    case 'valve.close_valve':
      return { state: 'closed', attributes };
    case 'alarm_control_panel.alarm_disarm':
      return { state: 'disarmed', attributes };
    case 'alarm_control_panel.alarm_arm_away':
      return { state: 'armed_away', attributes };
    case 'alarm_control_panel.alarm_arm_home':
      return { state: 'armed_home', attributes };
    case 'scene.turn_on':
      return { state: new Date().toISOString(), attributes };
    default:
      return undefined;
  }
}
