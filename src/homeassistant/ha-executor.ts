// Execution through Home Assistant: each action is one call_service with its concrete entity ids;
// its result (success or Home Assistant's error) goes into the reply, and after a success Hestia
// waits briefly for the state the action implies (a light on, a cover opening, a temperature set)
// so the reply says what actually happened, not what was asked.
import type { Catalog } from '../catalog/catalog.js';
import type { Entity } from '../catalog/types.js';
import { errorInfo } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Action } from '../plan/types.js';
import type { HomeAssistantLink } from './home-assistant.js';

/** One service call and what came of it. */
export interface ServiceCallResult {
  domain: string;
  service: string;
  entity_ids: string[];
  data: Action['data'];
  ok: boolean;
  /** Home Assistant's error when the call failed. */
  error?: string;
  /** Per entity: the implied state was seen (confirmed), not seen in time, or cannot be checked. */
  verified: Record<string, 'confirmed' | 'not_confirmed' | 'unverifiable'>;
}

/** Whether an entity now shows what the action implies; undefined when nothing can be checked. */
export function impliedStateReached(action: Action, e: Entity): boolean | undefined {
  const s = e.state;
  const a = e.attributes;
  const d = action.data;
  switch (`${action.domain}.${action.service}`) {
    case 'light.turn_on': {
      if (s !== 'on') return false;
      if (typeof d['brightness_pct'] === 'number' && typeof a['brightness'] === 'number') return Math.abs((a['brightness'] / 255) * 100 - d['brightness_pct']) <= 2;
      return true;
    }
    case 'light.turn_off':
    case 'switch.turn_off':
    case 'fan.turn_off':
    case 'input_boolean.turn_off':
    case 'media_player.turn_off':
    case 'climate.turn_off':
      return s === 'off';
    case 'switch.turn_on':
    case 'fan.turn_on':
    case 'input_boolean.turn_on':
      return s === 'on';
    case 'media_player.turn_on':
      return s !== 'off' && s !== 'unavailable';
    case 'cover.open_cover':
      return s === 'open' || s === 'opening';
    case 'cover.close_cover':
      return s === 'closed' || s === 'closing';
    case 'cover.set_cover_position':
      return s === 'opening' || s === 'closing' || a['current_position'] === d['position'];
    case 'lock.lock':
      return s === 'locked' || s === 'locking';
    case 'lock.unlock':
    case 'lock.open':
      return s === 'unlocked' || s === 'unlocking' || s === 'open';
    case 'climate.set_temperature':
      return typeof a['temperature'] === 'number' && Math.abs(a['temperature'] - Number(d['temperature'])) < 0.01;
    case 'climate.set_hvac_mode':
      return s === d['hvac_mode'];
    case 'fan.set_percentage':
      return a['percentage'] === d['percentage'];
    case 'media_player.media_play':
      return s === 'playing';
    case 'media_player.media_pause':
      return s === 'paused';
    case 'media_player.volume_set':
      return typeof a['volume_level'] === 'number' && Math.abs(a['volume_level'] - Number(d['volume_level'])) < 0.01;
    case 'vacuum.start':
      return s === 'cleaning';
    case 'vacuum.return_to_base':
      return s === 'returning' || s === 'docked';
    case 'valve.open_valve':
      return s === 'open' || s === 'opening';
    case 'valve.close_valve':
      return s === 'closed' || s === 'closing';
    case 'alarm_control_panel.alarm_disarm':
      return s === 'disarmed';
    case 'alarm_control_panel.alarm_arm_away':
    case 'alarm_control_panel.alarm_arm_home':
    case 'alarm_control_panel.alarm_arm_night':
      return s.startsWith('armed') || s === 'arming';
    default:
      return undefined;
  }
}

export class HaExecutor {
  constructor(
    private readonly link: HomeAssistantLink,
    private readonly catalog: Catalog,
    private readonly verifyMs: number,
  ) {}

  async execute(actions: readonly Action[], log: Logger, signal?: AbortSignal): Promise<ServiceCallResult[]> {
    return Promise.all(actions.map((a) => this.#one(a, log, signal)));
  }

  async #one(action: Action, log: Logger, signal?: AbortSignal): Promise<ServiceCallResult> {
    const base = { domain: action.domain, service: action.service, entity_ids: [...action.entity_ids], data: action.data };
    if (signal?.aborted) return { ...base, ok: false, error: 'the request passed its deadline before the call', verified: {} };
    try {
      await this.link.callService(action.domain, action.service, action.data, action.entity_ids);
    } catch (err) {
      const error = errorInfo(err).message;
      log.warn({ domain: action.domain, service: action.service, entity_ids: action.entity_ids, error }, 'Home Assistant service call failed');
      return { ...base, ok: false, error, verified: {} };
    }
    const verified = await this.#verify(action);
    log.debug({ domain: action.domain, service: action.service, verified }, 'service called');
    return { ...base, ok: true, verified };
  }

  /** Waits up to verifyMs for every entity to show the implied state, watching the catalog's changes. */
  #verify(action: Action): Promise<ServiceCallResult['verified']> {
    const result: ServiceCallResult['verified'] = {};
    const pending = new Set<string>();
    for (const id of action.entity_ids) {
      const e = this.catalog.entity(id);
      const reached = e ? impliedStateReached(action, e) : undefined;
      if (reached === undefined) result[id] = 'unverifiable';
      else pending.add(id);
    }
    // A state already equal before the call says nothing (the light may have been on): wait for a change.
    if (pending.size === 0 || this.verifyMs <= 0) {
      for (const id of pending) result[id] = 'unverifiable';
      return Promise.resolve(result);
    }
    return new Promise((resolve) => {
      const onChange = (change: { kind: string; entity_id?: string }): void => {
        if (change.kind !== 'entity' || !change.entity_id || !pending.has(change.entity_id)) return;
        const e = this.catalog.entity(change.entity_id);
        if (e && impliedStateReached(action, e)) {
          result[change.entity_id] = 'confirmed';
          pending.delete(change.entity_id);
          if (pending.size === 0) finish();
        }
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.catalog.off('change', onChange);
        for (const id of pending) {
          const e = this.catalog.entity(id);
          // Already in the implied state and no change seen: the device was there before; fine.
          result[id] = e && impliedStateReached(action, e) ? 'confirmed' : 'not_confirmed';
        }
        resolve(result);
      };
      const timer = setTimeout(finish, this.verifyMs);
      this.catalog.on('change', onChange);
    });
  }
}
