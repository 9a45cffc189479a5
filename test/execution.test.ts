// Command templates: the default Hestia layout, zigbee2mqtt- and Tasmota-style devices, typed
// placeholders, missing data, filters, and first-match-wins rules.
import { describe, expect, it } from 'vitest';
import type { CommandRule } from '../src/config/schema.js';
import { compileRules, type CommandContext } from '../src/execution/command-template.js';

const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({
  prefix: 'hestia',
  domain: 'light',
  object_id: 'kitchen_ceiling',
  entity_id: 'light.kitchen_ceiling',
  service: 'turn_on',
  name: 'Kitchen Ceiling Light',
  area_id: 'kitchen',
  request_id: 'r1',
  data: {},
  ...over,
});

function render(rules: CommandRule[], c: CommandContext): { topic: string; payload: string; retain: boolean } {
  const rule = compileRules(rules).find((r) => r.matches(c.entity_id, c.service));
  return rule!.render(c);
}

describe('command templates', () => {
  it('default: <prefix>/command/<domain>/<object_id> with {"request_id","service","data"}', () => {
    const out = render([], ctx({ data: { brightness_pct: 30, rgb_color: [255, 0, 0] } }));
    expect(out.topic).toBe('hestia/command/light/kitchen_ceiling');
    expect(JSON.parse(out.payload)).toEqual({ request_id: 'r1', service: 'turn_on', data: { brightness_pct: 30, rgb_color: [255, 0, 0] } });
    expect(out.retain).toBe(false);
  });

  it('zigbee2mqtt style: friendly name in the topic, typed values, brightness scaled to 0..254, absent fields dropped', () => {
    const rules: CommandRule[] = [
      { match: 'light.*', service: 'turn_on', topic: 'zigbee2mqtt/{name}/set', payload: { state: 'ON', brightness: '{data.brightness_pct|scale:254}', color_temp_kelvin: '{data.color_temp_kelvin}' } },
      { match: 'light.*', service: 'turn_off', topic: 'zigbee2mqtt/{name}/set', payload: { state: 'OFF' } },
    ];
    const on = render(rules, ctx({ data: { brightness_pct: 50 } }));
    expect(on.topic).toBe('zigbee2mqtt/Kitchen Ceiling Light/set');
    expect(JSON.parse(on.payload)).toEqual({ state: 'ON', brightness: 127 });
    expect(JSON.parse(render(rules, ctx({ service: 'turn_off' })).payload)).toEqual({ state: 'OFF' });
  });

  it('Tasmota style: a raw (non-JSON) payload from a string template', () => {
    const rules: CommandRule[] = [{ match: 'switch.*', topic: 'cmnd/{object_id}/POWER', payload: '{service|upper}' }];
    const out = render(rules, ctx({ domain: 'switch', entity_id: 'switch.kettle', object_id: 'kettle', service: 'toggle' }));
    expect(out).toEqual({ topic: 'cmnd/kettle/POWER', payload: 'TOGGLE', retain: false });
  });

  it('first matching rule wins, exact ids and service globs included; everything else falls back to the default', () => {
    const rules: CommandRule[] = [
      { match: 'light.kitchen_ceiling', topic: 'special/{entity_id}', retain: true },
      { match: 'light.*', service: 'turn_*', topic: 'lights/{object_id}' },
      { match: 'light.*', topic: 'never/{object_id}' },
    ];
    expect(render(rules, ctx())).toMatchObject({ topic: 'special/light.kitchen_ceiling', retain: true });
    expect(render(rules, ctx({ entity_id: 'light.hall', object_id: 'hall' })).topic).toBe('lights/hall');
    expect(render(rules, ctx({ entity_id: 'light.hall', object_id: 'hall', service: 'toggle' })).topic).toBe('never/hall');
    expect(render(rules, ctx({ domain: 'fan', entity_id: 'fan.attic', object_id: 'attic' })).topic).toBe('hestia/command/fan/attic');
  });

  it('placeholders inside longer strings become text; literal braces that are not placeholders stay', () => {
    const rules: CommandRule[] = [{ match: '*', topic: 'home/{area_id}/{object_id}', payload: { note: '{name} ({area_id}) {not a placeholder}', all: '{data}' } }];
    const out = render(rules, ctx({ data: { brightness_pct: 10 } }));
    expect(out.topic).toBe('home/kitchen/kitchen_ceiling');
    expect(JSON.parse(out.payload)).toEqual({ note: 'Kitchen Ceiling Light (kitchen) {not a placeholder}', all: { brightness_pct: 10 } });
  });
});
