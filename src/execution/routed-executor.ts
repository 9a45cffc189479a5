// Where each action goes: MQTT command topics, Home Assistant's call_service, or both, by the
// configured default and per-entity rules (first match wins). An action routed to Home Assistant
// while it is away is reported as not done, never as done.
import { globMatch } from '../config/glob.js';
import type { Logger } from '../log/logger.js';
import type { HaExecutor, ServiceCallResult } from '../homeassistant/ha-executor.js';
import type { Action } from '../plan/types.js';
import type { ExecutionResult, MqttExecutor } from './mqtt-executor.js';

export type Route = 'mqtt' | 'ha' | 'both';

export interface RoutedResult extends ExecutionResult {
  /** Home Assistant service calls and what came of them. */
  called: ServiceCallResult[];
}

export interface ActionExecutor {
  execute(actions: readonly Action[], requestId: string, log: Logger, signal?: AbortSignal): Promise<RoutedResult>;
}

export class RoutedExecutor implements ActionExecutor {
  constructor(
    private readonly mqtt: MqttExecutor,
    private readonly ha: HaExecutor | undefined,
    private readonly route: Route,
    private readonly rules: ReadonlyArray<{ readonly match: string; readonly via: Route }> = [],
  ) {}

  routeOf(entityId: string): Route {
    const via = this.rules.find((r) => globMatch(r.match, entityId))?.via ?? this.route;
    // Without Home Assistant configured, everything goes over MQTT.
    return this.ha ? via : 'mqtt';
  }

  async execute(actions: readonly Action[], requestId: string, log: Logger, signal?: AbortSignal): Promise<RoutedResult> {
    const toMqtt: Action[] = [];
    const toHa: Action[] = [];
    for (const a of actions) {
      const byRoute = new Map<Route, string[]>();
      for (const id of a.entity_ids) {
        const via = this.routeOf(id);
        byRoute.set(via, [...(byRoute.get(via) ?? []), id]);
      }
      for (const [via, ids] of byRoute) {
        const part = { ...a, entity_ids: ids as Action['entity_ids'] };
        if (via !== 'ha') toMqtt.push(part);
        if (via !== 'mqtt') toHa.push(part);
      }
    }
    const [mqtt, called] = await Promise.all([
      toMqtt.length ? this.mqtt.execute(toMqtt, requestId, log, signal) : Promise.resolve({ published: [], undelivered: [] }),
      toHa.length && this.ha ? this.ha.execute(toHa, log, signal) : Promise.resolve([]),
    ]);
    return { ...mqtt, called };
  }
}
