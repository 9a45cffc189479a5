// The safety policy, pure: every tier and rule, and how a follow-up reads as yes, no or something else.
import { describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import { DEFAULT_POLICY, decidePolicy, type Policy, type RequestSource } from '../src/checks/policy.js';
import { demoHomeFile } from '../src/config/package-root.js';
import { readConfirmationReply } from '../src/intake/confirmation-reply.js';
import type { Action } from '../src/plan/types.js';

const home = await loadSnapshotFile(demoHomeFile());
const act = (domain: string, service: string, ids: string[], data: Action['data'] = {}): Action => ({ domain, service, entity_ids: ids as Action['entity_ids'], data });
const decide = (actions: Action[], source: RequestSource = 'voice', policy: Partial<Policy> = {}) => decidePolicy({ actions }, home, { ...DEFAULT_POLICY, ...policy }, source);

describe('the built-in tiers', () => {
  it('allow everyday actions', () => {
    expect(decide([act('light', 'turn_on', ['light.kitchen_ceiling'], { brightness_pct: 40 })]).tier).toBe('allow');
    expect(decide([act('cover', 'open_cover', ['cover.living_room_blinds'])]).tier).toBe('allow');
    expect(decide([act('lock', 'lock', ['lock.front_door', 'lock.back_door'])]).tier).toBe('allow');
    expect(decide([act('cover', 'close_cover', ['cover.garage_door'])]).tier).toBe('allow');
    expect(decide([act('valve', 'close_valve', ['valve.garden_sprinklers'])]).tier).toBe('allow');
    expect(decide([act('climate', 'set_temperature', ['climate.thermostat'], { temperature: 21 })]).tier).toBe('allow');
  });

  it('ask before unlocking, opening the garage, disarming, opening a valve or an extreme thermostat', () => {
    const cases: Array<[Action, string]> = [
      [act('lock', 'unlock', ['lock.front_door']), 'Unlock the Front Door?'],
      [act('lock', 'open', ['lock.back_door']), 'Open the Back Door?'],
      [act('cover', 'open_cover', ['cover.garage_door']), 'Open the Garage Door?'],
      [act('cover', 'set_cover_position', ['cover.garage_door'], { position: 30 }), 'Open the Garage Door to 30 percent?'],
      [act('alarm_control_panel', 'alarm_disarm', ['alarm_control_panel.house']), 'Disarm the House Alarm?'],
      [act('valve', 'open_valve', ['valve.garden_sprinklers']), 'Open the Sprinklers?'],
      [act('climate', 'set_temperature', ['climate.thermostat'], { temperature: 30 }), 'Set the Thermostat to 30 degrees?'],
    ];
    for (const [action, question] of cases) {
      const d = decide([action]);
      expect(d.tier, question).toBe('confirm');
      expect(d.question).toBe(question);
      expect(d.reasons.length).toBeGreaterThan(0);
    }
    const both = decide([act('lock', 'unlock', ['lock.front_door']), act('cover', 'open_cover', ['cover.garage_door']), act('light', 'turn_on', ['light.porch'])]);
    expect(both).toMatchObject({ tier: 'confirm', question: 'Unlock the Front Door and open the Garage Door?' });
  });

  it('take a PIN for unlocking and disarming once a PIN is configured', () => {
    expect(decide([act('lock', 'unlock', ['lock.front_door'])], 'voice', { pin_configured: true })).toMatchObject({ tier: 'confirm_pin', question: 'Unlock the Front Door? Say yes and your PIN.' });
    expect(decide([act('cover', 'open_cover', ['cover.garage_door'])], 'voice', { pin_configured: true }).tier).toBe('confirm');
  });

  it('refuse risky actions from automations, which have nobody to answer', () => {
    const d = decide([act('lock', 'unlock', ['lock.front_door'])], 'automation');
    expect(d.tier).toBe('deny');
    expect(d.refusal).toBe("I'm not allowed to unlock the Front Door");
    expect(decide([act('light', 'turn_off', ['light.porch'])], 'automation').tier).toBe('allow');
    expect(decide([act('lock', 'unlock', ['lock.front_door'])], 'cli').tier).toBe('confirm');
  });
});

describe('configured rules', () => {
  it('deny domains and entities, or allow only some domains', () => {
    expect(decide([act('light', 'turn_on', ['light.porch'])], 'voice', { deny_domains: ['light'] }).tier).toBe('deny');
    expect(decide([act('switch', 'turn_on', ['switch.kettle'])], 'voice', { deny_entities: ['switch.k*'] }).tier).toBe('deny');
    expect(decide([act('switch', 'turn_on', ['switch.kettle'])], 'voice', { allow_domains: ['light'] }).tier).toBe('deny');
    expect(decide([act('light', 'turn_on', ['light.porch'])], 'voice', { allow_domains: ['light'] }).tier).toBe('allow');
  });

  it('apply the first matching rule, by entity, service and source', () => {
    const rules: Policy['rules'] = [
      { service: 'lock.unlock', match: 'lock.back_door', sources: ['automation'], tier: 'allow' },
      { service: 'switch.turn_on', match: 'switch.kettle', tier: 'confirm' },
      { service: 'lock.*', tier: 'deny' },
    ];
    expect(decide([act('lock', 'unlock', ['lock.back_door'])], 'automation', { rules }).tier).toBe('allow');
    expect(decide([act('lock', 'unlock', ['lock.back_door'])], 'voice', { rules }).tier).toBe('deny');
    expect(decide([act('lock', 'lock', ['lock.front_door'])], 'voice', { rules }).tier).toBe('deny');
    expect(decide([act('switch', 'turn_on', ['switch.kettle'])], 'voice', { rules })).toMatchObject({ tier: 'confirm', question: 'Turn the Kettle on?' });
  });

  it('limit how many different things one plan does, and read thermostat limits in the device unit', () => {
    const many = Array.from({ length: 11 }, (_, i) => act('light', 'turn_on', ['light.porch'], { brightness_pct: i + 1 }));
    expect(decide(many).tier).toBe('deny');
    const grouped = Array.from({ length: 20 }, () => act('light', 'turn_off', ['light.porch']));
    expect(decide(grouped).tier).toBe('allow');
    expect(decide([act('climate', 'set_temperature', ['climate.thermostat'], { temperature: 25 })], 'voice', { climate_max_c: 24 }).tier).toBe('confirm');
  });
});

describe('reading a follow-up', () => {
  it('hears yes, yes with a PIN, and no', () => {
    for (const t of ['yes', 'Yes please', 'yeah, go ahead', 'ok', 'confirm', 'do it']) expect(readConfirmationReply(t), t).toEqual({ kind: 'yes' });
    expect(readConfirmationReply('yes 1234')).toEqual({ kind: 'yes', pin: '1234' });
    expect(readConfirmationReply('yes, four two four two')).toEqual({ kind: 'yes', pin: '4242' });
    expect(readConfirmationReply('the pin is 9 8 7 6')).toEqual({ kind: 'yes', pin: '9876' });
    for (const t of ['no', "don't", 'no thanks', 'cancel that', 'never mind']) expect(readConfirmationReply(t), t).toEqual({ kind: 'no' });
  });

  it('takes anything with more in it as a new request, never as a yes', () => {
    for (const t of ['yes and unlock the back door too', 'yes open the garage', 'I already confirmed, open the garage', 'yes no', 'unlock the front door', 'ok now disarm the alarm']) {
      expect(readConfirmationReply(t), t).toEqual({ kind: 'other' });
    }
  });
});
