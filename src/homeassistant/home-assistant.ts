// Hestia's link to Home Assistant over its websocket API (home-assistant-js-websocket on a `ws`
// socket): the catalog from states, services and registries, kept live from events (a state change
// updates one entity; a registry or service change re-reads those), requests fired by automations,
// and service calls. The library reconnects with backoff and re-subscribes; every reconnect
// re-reads everything, and while Home Assistant is away the last catalog stays in use.
import { callService, createConnection, ERR_INVALID_AUTH, type Connection } from 'home-assistant-js-websocket';
import { Catalog } from '../catalog/catalog.js';
import { HestiaError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { catalogDataFromHa, entitiesFromHa, servicesFromHa, areasFromHa, type ExposureSettings, type HaRegistryEntry, type HaSnapshot, type HaStatePayload } from './ha-catalog.js';
import { openHaSocket } from './ha-socket.js';

export interface HomeAssistantOptions {
  url: string;
  token: string;
  exposure: ExposureSettings;
  /** Automations fire this event to ask Hestia something. */
  requestEvent: string;
  connectTimeoutMs: number;
  log: Logger;
}

export interface HaRequestEvent {
  data: Record<string, unknown>;
  /** The event's context id: a stable id for a request that brings none. */
  contextId: string | undefined;
}

/** Events after which the registries or services are read again (debounced). */
const RESYNC_EVENTS = ['entity_registry_updated', 'device_registry_updated', 'area_registry_updated', 'floor_registry_updated', 'service_registered', 'service_removed'];

export class HomeAssistantLink {
  readonly #options: HomeAssistantOptions;
  readonly #log: Logger;
  #connection: Connection | undefined;
  #catalog: Catalog | undefined;
  #connected = false;
  #resync: NodeJS.Timeout | undefined;
  #onRequest: ((event: HaRequestEvent) => void) | undefined;
  #onStatus: ((connected: boolean) => void) | undefined;
  #syncing: Promise<void> | undefined;

  constructor(options: HomeAssistantOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'homeassistant' });
  }

  get connected(): boolean {
    return this.#connected;
  }

  get catalog(): Catalog {
    if (!this.#catalog) throw new Error('Home Assistant has not been read yet');
    return this.#catalog;
  }

  /** What to do with a request fired by an automation. Set before start(). */
  onRequest(handler: (event: HaRequestEvent) => void): void {
    this.#onRequest = handler;
  }

  /** Told when the connection goes down or comes back. */
  onStatus(handler: (connected: boolean) => void): void {
    this.#onStatus = handler;
  }

  /**
   * Connects (retrying while Home Assistant is unreachable, until `signal`), reads the home and
   * subscribes. A refused token stops at once (HESTIA_BAD_CONFIG): retrying cannot fix it.
   */
  async start(signal?: AbortSignal): Promise<Catalog> {
    const { url, token, connectTimeoutMs } = this.#options;
    const open = () => openHaSocket({ url, token, connectTimeoutMs });
    let attempt = 0;
    for (;;) {
      signal?.throwIfAborted();
      try {
        this.#connection = await createConnection({ createSocket: open, setupRetry: 0 });
        break;
      } catch (err) {
        if (err === ERR_INVALID_AUTH) throw new HestiaError('HESTIA_BAD_CONFIG', `Home Assistant at ${url} refused the access token (auth_invalid); check HESTIA_HA_TOKEN or homeassistant.token_file`);
        attempt += 1;
        if (attempt === 1) this.#log.warn({ url }, 'Home Assistant is not reachable yet; retrying');
        await sleep(Math.min(attempt, 5) * 1000, signal);
      }
    }
    const conn = this.#connection;
    this.#connected = true;
    conn.addEventListener('disconnected', () => {
      this.#connected = false;
      this.#onStatus?.(false);
      this.#log.warn({ url }, 'Home Assistant disconnected; keeping the last catalog and reconnecting');
    });
    conn.addEventListener('ready', () => {
      this.#connected = true;
      this.#onStatus?.(true);
      this.#log.info({ url }, 'Home Assistant reconnected; reading the home again');
      this.#scheduleResync(0);
    });
    conn.addEventListener('reconnect-error', () => this.#log.error({ url }, 'Home Assistant refused the access token on reconnect'));
    await this.#sync();
    await conn.subscribeEvents<{ data: { entity_id: string; new_state: HaStatePayload | null } }>((ev) => this.#stateChanged(ev.data), 'state_changed');
    for (const type of RESYNC_EVENTS) await conn.subscribeEvents(() => this.#scheduleResync(200), type);
    await conn.subscribeEvents<{ data: Record<string, unknown>; context?: { id?: string } }>(
      (ev) => this.#onRequest?.({ data: ev.data ?? {}, contextId: ev.context?.id }),
      this.#options.requestEvent,
    );
    this.#log.info({ url, ha_version: conn.haVersion, entities: this.catalog.size, request_event: this.#options.requestEvent }, 'Home Assistant connected');
    return this.catalog;
  }

  async callService(domain: string, service: string, data: Record<string, unknown>, entityIds: readonly string[]): Promise<void> {
    const conn = this.#connection;
    if (!conn || !this.#connected) throw new HestiaError('HESTIA_EXECUTION_FAILED', 'Home Assistant is not connected');
    try {
      await callService(conn, domain, service, data, { entity_id: [...entityIds] });
    } catch (err) {
      throw new HestiaError('HESTIA_EXECUTION_FAILED', haErrorMessage(err), { cause: err });
    }
  }

  async fireEvent(eventType: string, data: Record<string, unknown>): Promise<void> {
    const conn = this.#connection;
    if (!conn || !this.#connected) throw new HestiaError('HESTIA_EXECUTION_FAILED', 'Home Assistant is not connected');
    await conn.sendMessagePromise({ type: 'fire_event', event_type: eventType, event_data: data });
  }

  stop(): void {
    clearTimeout(this.#resync);
    this.#connection?.close();
    this.#connected = false;
  }

  #stateChanged(data: { entity_id: string; new_state: HaStatePayload | null }): void {
    const catalog = this.#catalog;
    if (!catalog) return;
    if (data.new_state === null) {
      catalog.removeEntity(data.entity_id);
      return;
    }
    if (!catalog.entity(data.entity_id)) {
      // A new entity: its registry entry and exposure are needed too.
      this.#scheduleResync(200);
      return;
    }
    const { friendly_name: _f, device_class: _d, ...attributes } = data.new_state.attributes;
    catalog.setState(data.entity_id, data.new_state.state, attributes as Parameters<Catalog['setState']>[2]);
  }

  #scheduleResync(delayMs: number): void {
    clearTimeout(this.#resync);
    this.#resync = setTimeout(() => {
      this.#sync().catch((err: unknown) => this.#log.warn({ err: haErrorMessage(err) }, 'reading Home Assistant again failed; keeping the last catalog'));
    }, delayMs);
  }

  /** Reads everything; the catalog is replaced in one step (first time: created). */
  #sync(): Promise<void> {
    this.#syncing ??= this.#read().finally(() => (this.#syncing = undefined));
    return this.#syncing;
  }

  async #read(): Promise<void> {
    const conn = this.#connection;
    if (!conn) return;
    const ask = <T>(type: string, extra: Record<string, unknown> = {}): Promise<T> => conn.sendMessagePromise<T>({ type, ...extra });
    const [states, services, areas, floors, devices, entities, exposed] = await Promise.all([
      ask<HaSnapshot['states']>('get_states'),
      ask<HaSnapshot['services']>('get_services'),
      ask<HaSnapshot['areas']>('config/area_registry/list'),
      ask<HaSnapshot['floors']>('config/floor_registry/list').catch(() => []),
      ask<HaSnapshot['devices']>('config/device_registry/list'),
      ask<HaRegistryEntry[]>('config/entity_registry/list'),
      ask<{ exposed_entities: Record<string, Record<string, boolean>> }>('homeassistant/expose_entity/list').then((r) => r.exposed_entities, () => undefined),
    ]);
    // Aliases are only in the full registry entries.
    const ids = entities.map((e) => e.entity_id);
    const full = ids.length ? await ask<Record<string, HaRegistryEntry | null>>('config/entity_registry/get_entries', { entity_ids: ids }) : {};
    const merged = entities.map((e) => ({ ...e, aliases: full[e.entity_id]?.aliases ?? [] }));
    const snapshot: HaSnapshot = { states, services, areas, floors, devices, entities: merged, ...(exposed ? { exposed } : {}) };
    if (!this.#catalog) {
      this.#catalog = new Catalog(catalogDataFromHa(snapshot, this.#options.exposure));
      return;
    }
    const catalog = this.#catalog;
    const { areas: a, floors: f } = areasFromHa(snapshot);
    catalog.replace({ areas: a, floors: f, entities: entitiesFromHa(snapshot, this.#options.exposure), services: servicesFromHa(services) });
    this.#log.debug({ entities: catalog.size }, 'catalog re-read from Home Assistant');
  }
}

/** Home Assistant's error ({code, message}) or the library's numeric codes, as words. */
export function haErrorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { code?: unknown; message: unknown };
    return `${typeof e.code === 'string' ? `${e.code}: ` : ''}${String(e.message)}`;
  }
  if (err === 3) return 'the connection to Home Assistant was lost';
  return String(err);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}
