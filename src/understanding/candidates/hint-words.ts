// Words that name no device yet point at a kind of one: "I'm freezing" is about heating, "put a
// film on" about a screen. The fast path never acts on them (they are not in its lexicon, so such
// a request is left to the model); they only narrow what the model is offered. Without them a
// request like "I'm freezing" offered the speaker's whole room and every routine — in a large
// home the model then reads a long list where one thermostat would do.
import { stem } from '../../catalog/normalize.js';

const HINTS: Array<[readonly string[], readonly string[]]> = [
  // Feeling cold: something that heats.
  [['freezing', 'frozen', 'cold', 'chilly', 'nippy', 'icy', 'shivering', 'shiver', 'perishing', 'parky', 'frosty'], ['thermostat', 'heater']],
  // Feeling hot: something that cools or moves air.
  [['hot', 'boiling', 'roasting', 'baking', 'sweltering', 'sweating', 'sweaty', 'scorching', 'stuffy', 'muggy', 'toasty', 'heatwave'], ['thermostat', 'fan']],
  [['draught', 'draft', 'breeze', 'airflow'], ['fan']],
  // Cannot see: light.
  [['dark', 'gloomy', 'dim', 'pitch', 'murky'], ['light']],
  // Sun in the eyes: blinds and curtains.
  [['glare', 'sun', 'sunny', 'sunlight', 'dazzling'], ['cover']],
  // A mood: lights, music and the home's routines ("make it cosy", "something relaxing").
  [['cosy', 'cozy', 'romantic', 'relax', 'relaxing', 'mood', 'ambience', 'atmosphere', 'calm', 'soothing'], ['light', 'music', 'scene', 'script']],
  [['film', 'movie', 'cinema'], ['music', 'scene', 'script']],
  // Water or smoke where it should not be: the sensors that tell.
  [['leaking', 'leaky', 'flood', 'flooding', 'flooded', 'wet', 'dripping'], ['leak']],
  [['fire', 'burning', 'smoky'], ['smoke']],
  // Something to watch or hear: the players.
  [['watch', 'telly', 'show', 'series', 'episode', 'cartoon', 'netflix', 'youtube', 'tunes', 'song', 'track', 'album',
    'playlist', 'podcast', 'audiobook', 'jazz', 'noisy', 'loud'], ['music']],
];

/** Device kinds (as resolve.ts's nounMatches knows them) a word hints at, by its stem. */
export const HINT_KINDS: ReadonlyMap<string, readonly string[]> = new Map(
  HINTS.flatMap(([words, kinds]) => words.map((w) => [stem(w), kinds] as [string, readonly string[]])),
);
