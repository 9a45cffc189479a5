// The globs configuration rules use over entity ids and services (`light.*`, `*.garden_*`, `turn_*`):
// `*` any run of characters, `?` one character, everything else literal. One implementation for
// command templates, execution routes and the safety policy.
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

const compiled = new Map<string, RegExp>();

/** Whether `value` matches `glob`; each glob is compiled once (rules come from the configuration). */
export function globMatch(glob: string, value: string): boolean {
  let re = compiled.get(glob);
  if (!re) compiled.set(glob, (re = globToRegExp(glob)));
  return re.test(value);
}
