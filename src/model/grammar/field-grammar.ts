// The values one data field may take for one entity, as GBNF: the same limits the catalog check
// enforces (the field's range, the entity's own min/max, its lists of modes and sources, what a
// light can show), so that the model cannot write a value the check would refuse.
import { limitsFor, lightCapability } from '../../checks/catalog-check.js';
import { CSS_COLOUR_NAMES } from '../../checks/css-colours.js';
import type { Entity, FieldSpec } from '../../catalog/types.js';
import { gbnfNumberRange } from './number-range.js';

/**
 * Fields the model is never offered: codes and PINs must come from the person (the safety policy
 * asks for them), and transitions and raw RGB add tokens without adding meaning (colour names do).
 */
export const NOT_OFFERED: ReadonlySet<string> = new Set(['code', 'transition', 'rgb_color']);

/** A GBNF string literal for a JSON string. */
export function jsonStringLiteral(value: string): string {
  const json = JSON.stringify(value);
  return `"${json.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Decimals a number field is written with: whole numbers, tenths, or hundredths for 0..1 ranges. */
function decimalsFor(spec: FieldSpec, min: number, max: number): number {
  if (spec.type === 'integer') return 0;
  if (max - min <= 1) return 2;
  return 1;
}

export const COLOUR_NAME_RULE = 'colour-name';

/** The GBNF rule body for CSS colour names, shared by every light that shows colour. */
export function colourNameRule(): string {
  return [...CSS_COLOUR_NAMES].map((n) => jsonStringLiteral(n)).join(' | ');
}

/**
 * GBNF for the value of `field` on `entity`, or null when the entity cannot take the field (a
 * white bulb has no colour, a thermostat without hvac_modes has no mode to choose).
 */
export function fieldValueGrammar(field: string, spec: FieldSpec, entity: Entity): string | null {
  if (NOT_OFFERED.has(field)) return null;
  if (entity.domain === 'light' && lightCapability(entity, field, entity.name)) return null;
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const { min, max } = limitsFor(field, spec, entity);
      if (min === undefined || max === undefined || Math.ceil(min) > Math.floor(max)) return null;
      return gbnfNumberRange({ min, max, decimals: decimalsFor(spec, min, max) });
    }
    case 'string': {
      if (field === 'color_name') return COLOUR_NAME_RULE;
      let choices: string[] | undefined = spec.enum;
      if (spec.enumAttr) {
        const listed = entity.attributes[spec.enumAttr];
        choices = Array.isArray(listed) ? listed.filter((c): c is string => typeof c === 'string') : [];
        if (spec.enum) choices = choices.filter((c) => spec.enum?.includes(c));
      }
      if (!choices || choices.length === 0) return null;
      return choices.map(jsonStringLiteral).join(' | ');
    }
    case 'boolean':
      return '"true" | "false"';
    case 'rgb':
      return null;
  }
}
