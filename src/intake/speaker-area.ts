// Which area a request speaks from, so "turn on the light" means the light in that room. The
// request's own area_id wins; else the configured `sites` map; else a site that is an area's id,
// name or alias means that area; else no area.
import type { Catalog } from '../catalog/catalog.js';
import { normalizeText } from '../catalog/normalize.js';
import { HestiaError } from '../errors.js';

export interface SpeakerHints {
  site?: string;
  area_id?: string;
}

/** The speaker's area id, or undefined; an explicit area_id that the home lacks is an error. */
export function speakerArea(hints: SpeakerHints, sites: Readonly<Record<string, string>>, catalog: Catalog): string | undefined {
  if (hints.area_id !== undefined) {
    if (catalog.area(hints.area_id)) return hints.area_id;
    throw new HestiaError('HESTIA_BAD_REQUEST', `area_id ${JSON.stringify(hints.area_id)} is not an area of this home`);
  }
  const site = hints.site;
  if (site === undefined) return undefined;
  const mapped = Object.hasOwn(sites, site) ? sites[site] : undefined;
  if (mapped !== undefined && catalog.area(mapped)) return mapped;
  if (catalog.area(site)) return site;
  const spoken = normalizeText(site.replace(/[_-]+/g, ' '));
  for (const area of catalog.areas()) {
    if ([area.area_id.replace(/_/g, ' '), area.name, ...area.aliases].some((n) => normalizeText(n) === spoken)) return area.area_id;
  }
  return undefined;
}

/** The `sites` entries that name areas the home does not have (reported at start). */
export function unknownSiteAreas(sites: Readonly<Record<string, string>>, catalog: Catalog): string[] {
  return Object.entries(sites)
    .filter(([, area]) => !catalog.area(area))
    .map(([site, area]) => `sites.${site}: area ${JSON.stringify(area)} is not in the home`);
}
