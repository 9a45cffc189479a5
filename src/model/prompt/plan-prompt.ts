// The model's prompt, laid out stable first (DESIGN.md "Stable prefix first"): rules, services and
// examples, then — when the whole home fits — every device, all in the system turn, which stays in
// the KV cache from one request to the next. The user turn holds what changes per request: the
// candidate devices when the home is too large to show whole, the speaker's room, what the
// conversation just talked about, and the request itself. States stay out: they change all the
// time and a plan does not need them (questions are answered from the catalog).
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity } from '../../catalog/types.js';
import { READ_ONLY_DOMAINS } from '../../catalog/builtin-services.js';
import { NOT_OFFERED } from '../grammar/field-grammar.js';
import { stem } from '../../catalog/normalize.js';

/** Words a name may use for its kind without saying anything the id's domain does not. */
const KIND_WORDS: Record<string, string[]> = {
  light: ['light', 'lights', 'lamp', 'lamps'],
  switch: ['switch', 'plug', 'socket'],
  media_player: ['media', 'player', 'speaker', 'tv'],
  climate: ['thermostat', 'heating', 'heater', 'ac', 'air', 'conditioner', 'conditioning', 'aircon'],
  cover: ['cover', 'blind', 'blinds'],
  binary_sensor: ['sensor'],
};

const words = (s: string): string[] => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** Which of a device's aliases the model is shown: all of them, or only those the request uses. */
export type AliasFilter = (alias: string) => boolean;
const ALL_ALIASES: AliasFilter = () => true;

/**
 * Aliases a request uses: one that shares a word with it ("the telly" -> "telly"). In the per-request
 * candidate list the other aliases cost tokens on every request and help resolve none of its
 * words: the retriever has already matched the request's words to these devices.
 */
export function aliasesUsedBy(text: string): AliasFilter {
  const said = new Set(words(text).map(stem));
  return (alias) => words(alias).some((w) => said.has(stem(w)));
}

/**
 * One device as the model sees it: its id, then its name only where the name says something the
 * id, the room and the kind do not ("Kitchen Ceiling Light" for light.kitchen_ceiling in the
 * Kitchen adds nothing; "Coffee Machine" for switch.coffee_maker does), aliases, and the kind for
 * covers and sensors. Every token here is paid for on every request that shows the device.
 */
export function entityLine(e: Entity, areaName = '', showAlias: AliasFilter = ALL_ALIASES): string {
  const known = new Set([...words(e.object_id), ...words(areaName), ...words(e.domain), ...(KIND_WORDS[e.domain] ?? [])]);
  const name = words(e.name).every((w) => known.has(w)) ? '' : ` "${e.name}"`;
  const shown = e.aliases.filter(showAlias);
  const aliases = shown.length ? ` aka ${shown.map((a) => `"${a}"`).join(', ')}` : '';
  // The kind only where the id and name do not already say it ("cover.bedroom_curtains" is a curtain).
  const said = new Set([...words(e.object_id), ...words(e.name)].map(stem));
  const kind = e.device_class && KIND_DOMAINS.has(e.domain) && !words(e.device_class).every((w) => said.has(stem(w))) ? ` (${e.device_class})` : '';
  return `${e.entity_id}${name}${aliases}${kind}`;
}

/** Domains whose device class tells the model something the name may not (door, blind, motion). */
const KIND_DOMAINS = new Set(['cover', 'sensor', 'binary_sensor']);

/** Devices grouped under their room's name, rooms in name order, devices without a room last. */
export function deviceListing(entities: readonly Entity[], catalog: Catalog, showAlias: AliasFilter = ALL_ALIASES): string {
  const byArea = new Map<string, Entity[]>();
  for (const e of entities) {
    const key = catalog.area(e.area_id)?.name ?? '';
    const list = byArea.get(key);
    if (list) list.push(e);
    else byArea.set(key, [e]);
  }
  const rooms = [...byArea.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : 1));
  return rooms
    .map((room) => `${room || 'No room'}:\n${(byArea.get(room) ?? []).map((e) => ` ${entityLine(e, room, showAlias)}`).join('\n')}`)
    .join('\n');
}

/** The services of the domains present, with their fields: the model's vocabulary of actions. */
function serviceLines(catalog: Catalog, domains: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const spec of [...catalog.services()].sort((a, b) => (`${a.domain}.${a.service}` < `${b.domain}.${b.service}` ? -1 : 1))) {
    if (!domains.has(spec.domain)) continue;
    const fields = Object.keys(spec.fields).filter((f) => !NOT_OFFERED.has(f));
    lines.push(`${spec.domain}.${spec.service}${fields.length ? ` {${fields.join(', ')}}` : ''}`);
  }
  return lines;
}

const RULES = `You are Hestia, the voice control of one home. Turn the request into exactly one JSON object and write nothing else.
To act: {"do":[["domain.service","entity_id",...,{"field":value}]]} with one entry per service; several entity ids may share one entry.
To answer a question about the home: {"ask":["entity_id",...]} listing the devices whose state answers it. A question never acts.
When the request is not for this home, names a device that is not listed, or is unclear: {"no":"short reason"}.
Use only the devices listed under "Devices:", by room. A room or floor means the devices there of the kind asked for; with no room said, the speaker's room. "It" means what was just mentioned.
Percentages: brightness_pct, position, percentage (fan speed) are 0-100; volume_level is 0-1 (40 percent = 0.4). Colour temperature in kelvin: warm 2700, neutral 4000, cool 5000, daylight 6500.`;

/** Examples over a made-up flat: they teach the format, not this home's names. */
const EXAMPLES = `Examples (devices of another home):
Request: switch off the desk lamp and the heater
{"do":[["light.turn_off","light.desk_lamp"],["switch.turn_off","switch.heater"]]}
Request: dim the hall lights to thirty percent
{"do":[["light.turn_on","light.hall_ceiling","light.hall_spots",{"brightness_pct":30}]]}
Request: set the thermostat to twenty one and a half
{"do":[["climate.set_temperature","climate.flat",{"temperature":21.5}]]}
Request: half open the bedroom blinds
{"do":[["cover.set_cover_position","cover.bedroom_blind",{"position":50}]]}
Request: is the front door locked
{"ask":["lock.front_door"]}
Request: order me a pizza
{"no":"not a home device"}`;

export interface PromptRequest {
  text: string;
  /** The speaker's area id, when known. */
  area_id?: string | null;
  /** Entity ids the conversation just talked about ("it", "them"). */
  previous?: readonly string[];
}

/** The system turn: rules, the services of the home's domains, examples, and the whole home when given. */
export function systemPrompt(catalog: Catalog, wholeHome: readonly Entity[] | null): string {
  const domains = new Set<string>();
  for (const e of catalog.entities()) if (e.exposed && !READ_ONLY_DOMAINS.has(e.domain)) domains.add(e.domain);
  const parts = [RULES, `Services:\n${serviceLines(catalog, domains).join('\n')}`, EXAMPLES];
  if (wholeHome) parts.push(`Devices:\n${deviceListing(wholeHome, catalog)}`);
  return parts.join('\n\n');
}

/** The user turn: candidate devices (when the home is not in the system turn), context, request. */
export function userPrompt(request: PromptRequest, catalog: Catalog, candidates: readonly Entity[] | null): string {
  const lines: string[] = [];
  if (candidates) {
    lines.push(candidates.length ? `Devices:\n${deviceListing(candidates, catalog, aliasesUsedBy(request.text))}` : 'Devices: none match.');
  }
  const area = catalog.area(request.area_id);
  if (area) lines.push(`Speaker's room: ${area.name}`);
  const previous = (request.previous ?? []).filter((id) => catalog.entity(id));
  if (previous.length) lines.push(`Just mentioned: ${previous.join(', ')}`);
  lines.push(`Request: ${request.text}`);
  return lines.join('\n');
}
