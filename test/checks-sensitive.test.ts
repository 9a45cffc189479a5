// The interim sensitivity rule: unlocking, opening an entry (garage, gate, door) and disarming the
// alarm always ask first; the safe directions and ordinary covers never do.
import { describe, expect, it } from 'vitest';
import { catalogFromSnapshot } from '../src/catalog/snapshot.js';
import { assessSensitivity } from '../src/checks/sensitive.js';
import type { Action } from '../src/plan/types.js';

const home = catalogFromSnapshot({
  areas: [{ area_id: 'hall', name: 'Hall' }, { area_id: 'garage', name: 'Garage' }, { area_id: 'lounge', name: 'Lounge' }],
  entities: [
    { entity_id: 'lock.front_door', name: 'Front Door', area_id: 'hall' },
    { entity_id: 'lock.back_door', name: 'Back Door', area_id: 'hall' },
    { entity_id: 'cover.garage_door', name: 'Garage Door', area_id: 'garage', device_class: 'garage', state: 'closed' },
    { entity_id: 'cover.driveway_gate', name: 'Driveway Gate', device_class: 'gate' },
    { entity_id: 'cover.patio_door', name: 'Patio Door', area_id: 'lounge', device_class: 'door' },
    { entity_id: 'cover.lounge_blind', name: 'Lounge Blind', area_id: 'lounge', device_class: 'blind' },
    { entity_id: 'cover.skylight', name: 'Skylight', area_id: 'lounge', device_class: 'window' },
    { entity_id: 'alarm_control_panel.house', name: 'House Alarm', area_id: 'hall' },
    { entity_id: 'light.hall', name: 'Hall Light', area_id: 'hall' },
  ],
});

function act(domain: string, service: string, ids: string[], data: Action['data'] = {}): Action {
  return { domain, service, entity_ids: ids as Action['entity_ids'], data };
}

function question(...actions: Action[]): string | null {
  const d = assessSensitivity({ actions }, home);
  return d.confirm ? d.question : null;
}

describe('actions that need a confirmation', () => {
  it('unlocking or opening a lock', () => {
    expect(question(act('lock', 'unlock', ['lock.front_door']))).toBe('Unlock the Front Door?');
    expect(question(act('lock', 'unlock', ['lock.front_door', 'lock.back_door']))).toBe('Unlock the Front Door and the Back Door?');
    expect(question(act('lock', 'open', ['lock.back_door']))).toBe('Open the Back Door?');
  });

  it('opening a garage door, a gate or a door cover, fully or partly, or toggling one', () => {
    expect(question(act('cover', 'open_cover', ['cover.garage_door']))).toBe('Open the Garage Door?');
    expect(question(act('cover', 'open_cover', ['cover.driveway_gate']))).toBe('Open the Driveway Gate?');
    expect(question(act('cover', 'open_cover', ['cover.patio_door']))).toBe('Open the Patio Door?');
    expect(question(act('cover', 'set_cover_position', ['cover.garage_door'], { position: 30 }))).toBe('Open the Garage Door to 30 percent?');
    expect(question(act('cover', 'set_cover_position', ['cover.garage_door'], { position: 100 }))).toBe('Open the Garage Door?');
    expect(question(act('cover', 'toggle', ['cover.garage_door']))).toBe('Toggle the Garage Door?');
  });

  it('disarming the alarm', () => {
    expect(question(act('alarm_control_panel', 'alarm_disarm', ['alarm_control_panel.house'], { code: '1234' }))).toBe('Disarm the House Alarm?');
  });

  it('names only the sensitive part of a plan, and every sensitive part', () => {
    const d = assessSensitivity({
      actions: [
        act('light', 'turn_on', ['light.hall']),
        act('cover', 'open_cover', ['cover.lounge_blind', 'cover.garage_door']),
        act('lock', 'unlock', ['lock.front_door']),
      ],
    }, home);
    expect(d).toEqual({
      confirm: true,
      question: 'Open the Garage Door and unlock the Front Door?',
      sensitive: [
        { index: 1, domain: 'cover', service: 'open_cover', entity_ids: ['cover.garage_door'] },
        { index: 2, domain: 'lock', service: 'unlock', entity_ids: ['lock.front_door'] },
      ],
    });
  });
});

describe('actions that go ahead', () => {
  it('locking, closing and arming', () => {
    expect(question(act('lock', 'lock', ['lock.front_door', 'lock.back_door']))).toBeNull();
    expect(question(act('cover', 'close_cover', ['cover.garage_door', 'cover.driveway_gate']))).toBeNull();
    expect(question(act('cover', 'stop_cover', ['cover.garage_door']))).toBeNull();
    expect(question(act('cover', 'set_cover_position', ['cover.garage_door'], { position: 0 }))).toBeNull();
    expect(question(act('alarm_control_panel', 'alarm_arm_away', ['alarm_control_panel.house']))).toBeNull();
  });

  it('opening blinds and windows', () => {
    expect(question(act('cover', 'open_cover', ['cover.lounge_blind', 'cover.skylight']))).toBeNull();
    expect(question(act('cover', 'set_cover_position', ['cover.lounge_blind'], { position: 80 }))).toBeNull();
    expect(question(act('cover', 'toggle', ['cover.skylight']))).toBeNull();
  });

  it('a plan with no actions (a question about the front door)', () => {
    expect(assessSensitivity({ actions: [] }, home)).toEqual({ confirm: false });
  });
});
