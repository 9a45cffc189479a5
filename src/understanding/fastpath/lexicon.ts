// The fast path's vocabulary: every word it accepts that is not a name in the home. A request
// with a word that is neither here nor in the catalog is not understood (no_match): being precise
// matters more than being eager, because the model takes what the fast path leaves.
//
// Phrases are written in normalised form (see catalog/normalize.ts): lower case, numbers as
// digits, plurals are matched after stemming, so "lights" is written "light".
import { stem } from '../../catalog/normalize.js';

export type Intent =
  | 'on' | 'off' | 'toggle' | 'open' | 'close' | 'stop' | 'lock' | 'unlock'
  | 'play' | 'pause' | 'next' | 'previous' | 'mute' | 'unmute'
  | 'start' | 'activate' | 'deactivate' | 'arm_away' | 'arm_home' | 'arm_night' | 'arm' | 'disarm'
  | 'dock' | 'clean' | 'locate' | 'press' | 'set' | 'oscillate_on' | 'oscillate_off' | 'reverse' | 'forward';

/** What a measured or settable quantity is called; also implies a domain when no device is named. */
export type Attr = 'brightness' | 'volume' | 'temperature' | 'humidity' | 'speed' | 'color' | 'position' | 'mode' | 'power' | 'energy' | 'battery';

export type Tag =
  | { t: 'verb'; intent: Intent }
  /** "turn", "switch", "put": a verb that waits for a particle (on/off/up/down) or a value. */
  | { t: 'split_verb' }
  | { t: 'particle'; value: 'on' | 'off' | 'up' | 'down' | 'out' | 'open' | 'closed' }
  | { t: 'rel'; dir: 1 | -1; attr?: Attr }
  | { t: 'noun'; noun: string }
  | { t: 'attr'; attr: Attr }
  | { t: 'all' }
  /** "everything in the office": every switchable device of a room. */
  | { t: 'everything' }
  | { t: 'pronoun' }
  | { t: 'color'; name: string }
  | { t: 'ct'; kelvin: number }
  | { t: 'speed'; pct: number }
  | { t: 'mode'; mode: string }
  | { t: 'level'; value: 'max' | 'min' | 'half' }
  | { t: 'unit'; unit: 'percent' | 'degrees' | 'kelvin' }
  | { t: 'prep'; word: string }
  | { t: 'conj' }
  | { t: 'q'; word: 'is' | 'what' | 'which' | 'how' }
  | { t: 'state'; value: string }
  /** "a little", "a bit": fine for a relative change, too vague for open or close. */
  | { t: 'partial' }
  | { t: 'filler' }
  /** "my lamp", "my heater": the speaker's own room, and only it. */
  | { t: 'here' }
  /** "make sure the back door is locked": the state said after it is the action. */
  | { t: 'ensure' }
  | { t: 'neg' };

const phrases: Array<[string, Tag]> = [];
const add = (tag: Tag, ...words: string[]): void => {
  for (const w of words) phrases.push([w, tag]);
};

// ---- verbs --------------------------------------------------------------------------------
add({ t: 'verb', intent: 'on' },
  'turn on', 'switch on', 'power on', 'flip on', 'put on', 'fire up', 'light up', 'start up',
  'enable', 'activate', 'can turn on', 'click on', 'boil', 'pop on', 'stick on', 'set up');
add({ t: 'verb', intent: 'off' },
  'turn off', 'switch off', 'power off', 'shut off', 'shut down', 'flip off', 'kill', 'cut',
  'turn out', 'put out', 'disable', 'deactivate', 'power down', 'click off', 'douse', 'extinguish', 'pop off');
add({ t: 'verb', intent: 'toggle' }, 'toggle', 'flip');
add({ t: 'verb', intent: 'open' }, 'open', 'open up', 'reopen', 're open', 'roll up', 'pull up', 'lift', 'extend', 'roll out');
add({ t: 'verb', intent: 'close' }, 'close', 'shut', 'roll down', 'pull down', 'retract', 'roll in', 'close up', 'shut up');
add({ t: 'verb', intent: 'stop' }, 'stop', 'halt', 'freeze');
add({ t: 'verb', intent: 'lock' }, 'lock', 'lock up', 'secure', 'bolt');
add({ t: 'verb', intent: 'unlock' }, 'unlock', 'unbolt', 'unlatch', 'let me in', 'let me into', 'let us in', 'let us into');
add({ t: 'verb', intent: 'play' }, 'play', 'resume', 'unpause', 'continue', 'keep playing', 'carry on', 'carry on playing', 'continue playing', 'resume playing');
add({ t: 'verb', intent: 'pause' }, 'pause');
add({ t: 'verb', intent: 'next' }, 'next', 'skip', 'next track', 'next song', 'skip track', 'skip song', 'skip this song', 'skip this track', 'next one', 'skip ahead', 'skip this 1', 'skip that 1', 'skip it');
add({ t: 'verb', intent: 'previous' }, 'previous', 'previous track', 'previous song', 'last song', 'go back', 'back one', 'play previous');
add({ t: 'verb', intent: 'mute' }, 'mute', 'silence');
add({ t: 'verb', intent: 'unmute' }, 'unmute', 'un mute', 'off mute');
add({ t: 'verb', intent: 'start' }, 'start', 'begin', 'launch', 'run', 'trigger', 'execute', 'kick off', 'set off');
add({ t: 'verb', intent: 'arm' }, 'arm');
add({ t: 'verb', intent: 'arm_away' }, 'arm away');
add({ t: 'verb', intent: 'arm_home' }, 'arm home', 'arm stay');
add({ t: 'verb', intent: 'arm_night' }, 'arm night');
add({ t: 'verb', intent: 'disarm' }, 'disarm', 'deactivate alarm', 'turn off alarm');
add({ t: 'verb', intent: 'dock' }, 'dock', 'send', 'send it home', 'send home', 'send back', 'return to base', 'return to dock', 'return', 'go home', 'go back to dock', 'go back to base', 'go to dock', 'send to dock', 'back to dock', 'back to base', 'recall');
add({ t: 'verb', intent: 'clean' }, 'clean', 'start cleaning', 'clean house', 'vacuum house', 'hoover house', 'go clean', 'begin cleaning');
add({ t: 'verb', intent: 'press' }, 'press', 'push', 'tap');
add({ t: 'verb', intent: 'locate' }, 'find', 'locate', 'make beep', 'ping', 'beep', 'make a sound', 'do a sound', 'play a sound', 'make a noise');
add({ t: 'verb', intent: 'set' }, 'set', 'change', 'adjust', 'make', 'bring', 'move', 'put', 'change color', 'change colour', 'go', 'go to');
add({ t: 'verb', intent: 'oscillate_on' }, 'oscillate', 'start oscillating', 'swing', 'turn on oscillation', 'enable oscillation', 'swivel', 'start swivelling', 'start swiveling', 'rotate', 'start rotating', 'sweep');
add({ t: 'verb', intent: 'oscillate_off' }, 'stop oscillating', 'turn off oscillation', 'disable oscillation', 'stop oscillation', 'stop swivelling', 'stop swiveling', 'stop rotating',
  'from oscillating', 'from swivelling', 'from swiveling', 'from rotating', 'oscillating', 'swivelling', 'swiveling', 'rotating');
// A ceiling fan's spin: "reverse the fan" (summer and winter directions).
add({ t: 'verb', intent: 'reverse' }, 'reverse', 'in reverse', 'reverse direction', 'reverse the direction of', 'run in reverse', 'spin in reverse', 'spin backwards', 'go backwards');
add({ t: 'verb', intent: 'forward' }, 'forward direction', 'in forward', 'run forward', 'spin forward', 'spin forwards', 'go forwards');
add({ t: 'verb', intent: 'oscillate_on' }, 'go left and right', 'move left and right', 'turn left and right', 'go side to side', 'move side to side', 'move its head');
add({ t: 'split_verb' }, 'turn', 'switch', 'power', 'crank', 'dial', 'knock', 'whack', 'bump', 'nudge', 'pull', 'draw', 'take', 'pop', 'stick', 'flick', 'chuck', 'bung');

// ---- particles after a split verb, or alone ("kitchen lights off") -------------------------
add({ t: 'particle', value: 'on' }, 'on', 'going');
add({ t: 'particle', value: 'off' }, 'off');
add({ t: 'particle', value: 'up' }, 'up');
add({ t: 'particle', value: 'down' }, 'down');
add({ t: 'particle', value: 'out' }, 'out');

// ---- relative changes ------------------------------------------------------------------------
add({ t: 'rel', dir: 1, attr: 'brightness' }, 'brighter', 'brighten', 'brighten up', 'more light', 'lighter', 'give more light', 'give me more light');
add({ t: 'rel', dir: -1, attr: 'brightness' }, 'dim', 'dimmer', 'darker', 'dim down', 'less light', 'darken', 'give less light', 'give me less light');
add({ t: 'rel', dir: 1, attr: 'temperature' }, 'warmer', 'hotter', 'warm up', 'heat up', 'warm it up', 'heat it up', 'warm things up');
add({ t: 'rel', dir: -1, attr: 'temperature' }, 'cooler', 'colder', 'cool down', 'chill', 'cool it down', 'cool things down', 'cool it off');
add({ t: 'rel', dir: 1, attr: 'volume' }, 'louder', 'pump up', 'volume up');
add({ t: 'rel', dir: -1, attr: 'volume' }, 'quieter', 'softer', 'volume down');
add({ t: 'rel', dir: 1, attr: 'speed' }, 'faster', 'speed up');
add({ t: 'rel', dir: -1, attr: 'speed' }, 'slower', 'slow down', 'slow');
// "the kitchen is too bright": the complaint asks for the opposite change.
const TOO: Array<[string, 1 | -1, Attr]> = [
  ['bright', -1, 'brightness'], ['dark', 1, 'brightness'], ['dim', 1, 'brightness'],
  ['loud', -1, 'volume'], ['noisy', -1, 'volume'], ['quiet', 1, 'volume'],
  ['hot', -1, 'temperature'], ['warm', -1, 'temperature'], ['cold', 1, 'temperature'], ['chilly', 1, 'temperature'],
  ['fast', -1, 'speed'], ['slow', 1, 'speed'],
];
for (const [adj, dir, attr] of TOO) {
  for (const lead of ['', 'is ', 'are ', 'its ', 'it is '])
    for (const how of ['too', 'way too', 'far too', 'a bit too', 'a little too', 'much too', 'bit too']) add({ t: 'rel', dir, attr }, `${lead}${how} ${adj}`);
}
add({ t: 'rel', dir: 1 }, 'increase', 'boost', 'raise', 'raise up', 'higher', 'turn up', 'bring up');
add({ t: 'rel', dir: -1 }, 'decrease', 'reduce', 'lower', 'lower down', 'turn down', 'drop', 'bring down');
// "more" / "less" before a plain adjective, as many learners of English build the comparative
// ("make the fan more fast", "the light more strong"): the same change as "faster", "brighter".
const MORE_LESS: Array<[string, 1 | -1, Attr | undefined]> = [
  ['bright', 1, 'brightness'], ['dark', -1, 'brightness'], ['dim', -1, 'brightness'],
  ['loud', 1, 'volume'], ['quiet', -1, 'volume'], ['fast', 1, 'speed'], ['slow', -1, 'speed'],
  ['warm', 1, 'temperature'], ['hot', 1, 'temperature'], ['cold', -1, 'temperature'], ['cool', -1, 'temperature'],
  ['high', 1, undefined], ['low', -1, undefined], ['strong', 1, undefined], ['powerful', 1, undefined],
];
for (const [adj, dir, attr] of MORE_LESS) {
  const more = attr ? { t: 'rel' as const, dir, attr } : { t: 'rel' as const, dir };
  const less = attr ? { t: 'rel' as const, dir: (-dir) as 1 | -1, attr } : { t: 'rel' as const, dir: (-dir) as 1 | -1 };
  add(more, `more ${adj}`, `bit more ${adj}`, `little more ${adj}`, `much more ${adj}`);
  add(less, `less ${adj}`, `bit less ${adj}`, `little less ${adj}`);
}

// ---- what the user names instead of a device ----------------------------------------------
add({ t: 'noun', noun: 'light' }, 'light', 'lighting', 'bulb', 'lightbulb', 'light bulb');
add({ t: 'noun', noun: 'ceiling_light' }, 'ceiling light', 'overhead light', 'overhead', 'ceiling lamp', 'main light', 'big light', 'top light');
add({ t: 'noun', noun: 'lamp' }, 'lamp');
add({ t: 'noun', noun: 'switch' }, 'switch', 'plug', 'socket', 'outlet', 'smart plug', 'power strip');
add({ t: 'noun', noun: 'fan' }, 'fan', 'ceiling fan', 'ventilator', 'vent fan');
add({ t: 'noun', noun: 'blind' }, 'blind', 'roller blind', 'venetian blind');
add({ t: 'noun', noun: 'shade' }, 'shade', 'roller shade');
add({ t: 'noun', noun: 'curtain' }, 'curtain', 'drape');
add({ t: 'noun', noun: 'shutter' }, 'shutter');
add({ t: 'noun', noun: 'awning' }, 'awning');
add({ t: 'noun', noun: 'window' }, 'window');
add({ t: 'noun', noun: 'cover' }, 'cover');
add({ t: 'noun', noun: 'garage_door' }, 'garage door');
add({ t: 'noun', noun: 'gate' }, 'gate');
add({ t: 'noun', noun: 'door' }, 'door');
add({ t: 'noun', noun: 'thermostat' }, 'thermostat', 'climate', 'hvac');
add({ t: 'noun', noun: 'heating' }, 'heating', 'heat', 'furnace', 'heating system', 'central heating', 'boiler',
  'underfloor heating', 'floor heating', 'underfloor', 'radiant heating', 'floor heat', 'heated floor', 'in floor heating');
// "the heater": a device called one (a plug-in heater) where the home has one, else the heating.
add({ t: 'noun', noun: 'heater' }, 'heater', 'space heater', 'electric heater');
add({ t: 'noun', noun: 'ac' }, 'ac', 'a c', 'air conditioning', 'air conditioner', 'aircon', 'air con', 'air');
add({ t: 'noun', noun: 'tv' }, 'tv', 't v', 'television', 'telly');
add({ t: 'noun', noun: 'speaker' }, 'speaker', 'smart speaker', 'sound system');
add({ t: 'noun', noun: 'music' }, 'music', 'song', 'track', 'playback', 'media', 'podcast', 'audio');
add({ t: 'noun', noun: 'radio' }, 'radio', 'stereo', 'hifi', 'hi fi');
add({ t: 'noun', noun: 'lock' }, 'lock', 'deadbolt', 'door lock');
add({ t: 'noun', noun: 'vacuum' }, 'vacuum', 'robot', 'robot vacuum', 'vacuum cleaner', 'hoover', 'robovac', 'vacuum robot', 'hoovering', 'vacuuming',
  'robot cleaner', 'cleaning robot', 'robot hoover', 'hoover robot', 'robot vac', 'robo vac');
add({ t: 'noun', noun: 'valve' }, 'valve', 'water valve');
add({ t: 'noun', noun: 'sprinkler' }, 'sprinkler', 'irrigation', 'watering', 'sprinkler system', 'irrigation system');
add({ t: 'noun', noun: 'alarm' }, 'alarm', 'alarm system', 'security system', 'security', 'burglar alarm');
add({ t: 'noun', noun: 'scene' }, 'scene');
add({ t: 'noun', noun: 'script' }, 'script', 'routine');
add({ t: 'noun', noun: 'sensor' }, 'sensor');
add({ t: 'noun', noun: 'motion' }, 'motion', 'motion sensor', 'movement');
add({ t: 'noun', noun: 'smoke' }, 'smoke detector', 'smoke alarm', 'smoke sensor', 'fire alarm', 'smoke');
add({ t: 'noun', noun: 'leak' }, 'leak sensor', 'leak detector', 'water sensor', 'flood sensor', 'water leak sensor', 'moisture sensor', 'leak', 'leaking', 'water leak');
add({ t: 'attr', attr: 'brightness' }, 'brightness', 'brightness level', 'light level');
add({ t: 'attr', attr: 'volume' }, 'volume', 'sound', 'volume level');
add({ t: 'attr', attr: 'temperature' }, 'temperature', 'temp', 'target temperature', 'thermostat setting');
add({ t: 'attr', attr: 'humidity' }, 'humidity', 'humidity level');
add({ t: 'attr', attr: 'speed' }, 'speed', 'fan speed');
add({ t: 'attr', attr: 'color' }, 'color', 'colour');
add({ t: 'attr', attr: 'position' }, 'position');
// Only read, never set: what a question can ask a device's sensors.
add({ t: 'attr', attr: 'power' }, 'power', 'power usage', 'power draw', 'power consumption', 'wattage', 'watts', 'how many watts');
add({ t: 'attr', attr: 'energy' }, 'energy', 'energy usage', 'energy use', 'kilowatt hours', 'kwh');
add({ t: 'attr', attr: 'battery' }, 'battery', 'battery level', 'batteries', 'battery life', 'charge level');
add({ t: 'attr', attr: 'mode' }, 'mode', 'setting');

add({ t: 'all' }, 'all', 'every', 'each', 'both', 'all of', 'every single', 'any');
add({ t: 'everything' }, 'everything', 'all devices', 'all the devices', 'every device', 'all things');
add({ t: 'pronoun' }, 'it', 'them', 'that', 'those', 'these', 'this', 'they', 'that 1', 'this 1', 'em');

// ---- values ----------------------------------------------------------------------------------
const COLORS = [
  'red', 'green', 'blue', 'yellow', 'orange', 'purple', 'pink', 'white', 'cyan', 'magenta',
  'violet', 'indigo', 'turquoise', 'teal', 'lime', 'gold', 'crimson', 'lavender', 'aqua', 'coral',
  'salmon', 'maroon', 'navy', 'olive', 'lightblue', 'darkblue', 'lightgreen', 'darkgreen',
  'hotpink', 'deeppink', 'skyblue', 'plum', 'orchid', 'tomato', 'chartreuse', 'fuchsia', 'beige',
  'mintcream', 'peachpuff', 'khaki', 'tan', 'brown', 'silver', 'firebrick', 'darkorange',
  'royalblue', 'seagreen', 'springgreen', 'forestgreen', 'darkviolet', 'mediumpurple',
];
for (const c of COLORS) add({ t: 'color', name: c }, c);
add({ t: 'color', name: 'lightblue' }, 'light blue', 'baby blue', 'pale blue');
add({ t: 'color', name: 'darkblue' }, 'dark blue');
add({ t: 'color', name: 'lightgreen' }, 'light green');
add({ t: 'color', name: 'darkgreen' }, 'dark green');
add({ t: 'color', name: 'hotpink' }, 'hot pink');
add({ t: 'color', name: 'deeppink' }, 'deep pink');
add({ t: 'color', name: 'skyblue' }, 'sky blue');
add({ t: 'color', name: 'royalblue' }, 'royal blue');
add({ t: 'color', name: 'forestgreen' }, 'forest green');
add({ t: 'color', name: 'darkorange' }, 'dark orange');
add({ t: 'color', name: 'purple' }, 'purple', 'purpel');
add({ t: 'color', name: 'gray' }, 'gray', 'grey');
add({ t: 'ct', kelvin: 2700 }, 'warm white', 'warm', 'warm light', 'warm color', 'warm colour', 'warm tone', 'cozy', 'cosy');
add({ t: 'ct', kelvin: 3000 }, 'soft white', 'soft');
add({ t: 'ct', kelvin: 4000 }, 'neutral white', 'neutral', 'natural white', 'natural');
add({ t: 'ct', kelvin: 5000 }, 'cool white', 'cool', 'cold white', 'cold', 'cool light', 'cold light', 'bright white');
add({ t: 'ct', kelvin: 6500 }, 'daylight', 'day light', 'daylight white');
// The ends of what a bulb can do: clamped to its own limits when set.
add({ t: 'ct', kelvin: 2000 }, 'warmest', 'warmest white', 'warmest setting', 'as warm as it goes', 'as warm as possible', 'most warm', 'most warm white');
add({ t: 'ct', kelvin: 6500 }, 'coolest', 'coolest white', 'coldest white', 'coolest setting', 'as cool as it goes', 'as cool as possible',
  'coldest', 'coldest setting', 'most cold', 'most cold white', 'most cool', 'most cool white');
add({ t: 'speed', pct: 33 }, 'low', 'low speed', 'lowest', 'gentle');
add({ t: 'speed', pct: 66 }, 'medium', 'mid', 'middle', 'medium speed');
add({ t: 'speed', pct: 100 }, 'high', 'high speed', 'highest', 'fast', 'top speed', 'full speed', 'full blast', 'max speed', 'maximum speed');
add({ t: 'mode', mode: 'heat' }, 'heat mode', 'heating mode', 'heating', 'heat');
add({ t: 'mode', mode: 'cool' }, 'cool mode', 'cooling mode', 'cooling', 'ac mode');
add({ t: 'mode', mode: 'auto' }, 'auto', 'automatic', 'auto mode', 'automatic mode');
add({ t: 'mode', mode: 'heat_cool' }, 'heat cool', 'heat and cool', 'heat cool mode');
add({ t: 'mode', mode: 'dry' }, 'dry', 'dry mode', 'dehumidify', 'dehumidify mode');
add({ t: 'mode', mode: 'fan_only' }, 'fan only', 'fan mode', 'fan only mode');
add({ t: 'mode', mode: 'off' }, 'off mode');
add({ t: 'mode', mode: 'armed_home' }, 'home mode', 'stay mode', 'in home mode', 'in stay mode', 'to home', 'for home');
add({ t: 'mode', mode: 'armed_away' }, 'away mode', 'in away mode', 'to away', 'for away', 'away');
add({ t: 'mode', mode: 'armed_night' }, 'night mode', 'in night mode', 'for night', 'for the night', 'at night', 'to night', 'tonight');
add({ t: 'level', value: 'max' }, 'max', 'maximum', 'full', 'full brightness', 'max brightness', 'maximum brightness', '100 percent brightness', 'all the way up', 'all the way', 'fully', 'completely', 'full power', 'brightest',
  'as bright as it goes', 'as bright as they go', 'as bright as possible', 'as high as it goes', 'as high as possible');
add({ t: 'level', value: 'min' }, 'min', 'minimum', 'lowest setting', 'min brightness', 'minimum brightness', 'all the way down', 'dimmest',
  'as dim as it goes', 'as dim as they go', 'as dim as possible', 'as low as it goes', 'as low as possible');
add({ t: 'level', value: 'half' }, 'half', 'halfway', 'half way', 'half brightness', 'half open', 'halfway open', 'midway', 'half the way', '50 50');
add({ t: 'unit', unit: 'percent' }, 'percent', 'per cent', 'pct', 'percentage');
add({ t: 'unit', unit: 'degrees' }, 'degree', 'degrees', 'degree celsius', 'degrees celsius', 'celsius', 'degree fahrenheit', 'fahrenheit', 'degree c', 'degree f', 'c', 'f');
add({ t: 'unit', unit: 'kelvin' }, 'kelvin', 'k');

// ---- structure -------------------------------------------------------------------------------
add({ t: 'prep', word: 'to' }, 'to', 'too', 'into', 'unto');
add({ t: 'prep', word: 'at' }, 'at');
add({ t: 'prep', word: 'in' }, 'in', 'inside', 'within', 'in there');
add({ t: 'prep', word: 'of' }, 'of', 'for', 'from');
add({ t: 'prep', word: 'by' }, 'by');
add({ t: 'prep', word: 'on' }, 'on the', 'upon');
add({ t: 'prep', word: 'with' }, 'with');
// A place given by another thing ("the lamp by the door"): two names, one of them only a landmark.
add({ t: 'prep', word: 'near' }, 'near', 'next to', 'beside', 'behind', 'under', 'underneath', 'below', 'above', 'opposite', 'nearest', 'nearest to', 'close by');
add({ t: 'conj' }, 'and', 'also', 'then', 'and then', 'plus', 'as well as', 'as well', 'and also', 'after that');
add({ t: 'q', word: 'is' }, 'is', 'are', 'was', 'were', 'has', 'did i leave', 'did we leave', 'did someone leave', 'have i left', 'have we left', 'has someone left', 'is there', 'are there', 'do', 'does', 'did', 'if', 'whether', 'check if', 'check whether', 'tell me if', 'tell me whether', 'can you check if', 'let me know if');
add({ t: 'q', word: 'what' }, 'what', 'what is', 'what are', 'tell me', 'whats', 'what is the status of', 'status of', 'state of', 'what is the state of', 'check', 'check on', 'give me', 'how is', 'read');
add({ t: 'q', word: 'which' }, 'which', 'which of', 'what are all', 'list', 'show me');
add({ t: 'q', word: 'how' }, 'how', 'how warm', 'how hot', 'how cold', 'how humid', 'how much', 'how many');
add({ t: 'state', value: 'on' }, 'on', 'turned on', 'switched on', 'lit', 'running', 'powered on', 'left on', 'been left on', 'still on', 'wet', 'detecting water');
add({ t: 'state', value: 'off' }, 'off', 'turned off', 'switched off', 'powered off');
add({ t: 'state', value: 'open' }, 'open', 'opened', 'ajar', 'up', 'left open', 'been left open', 'been opened');
add({ t: 'state', value: 'closed' }, 'closed', 'shut', 'down');
add({ t: 'state', value: 'locked' }, 'locked', 'locked up', 'secured', 'secure');
add({ t: 'state', value: 'unlocked' }, 'unlocked', 'unsecured', 'not locked', 'left unlocked', 'been left unlocked');
add({ t: 'state', value: 'armed' }, 'armed');
add({ t: 'state', value: 'disarmed' }, 'disarmed');
add({ t: 'state', value: 'playing' }, 'playing', 'on playing');
add({ t: 'partial' }, 'bit', 'little', 'a bit', 'a little', 'little bit', 'a little bit', 'slightly', 'a tad', 'somewhat', 'partly', 'partially', 'part way', 'partway', 'wee', 'a wee bit', 'wee bit', 'touch', 'a touch', 'notch', 'a notch', 'smidge', 'a smidge', 'tad', 'a fraction');
add({ t: 'ensure' }, 'make sure', 'ensure', 'make certain');
add({ t: 'here' }, 'my');
add({ t: 'neg' }, 'not', 'never', 'dont', 'no', 'nor', 'without', 'stop turning', 'instead of', 'except', 'but');

// Politeness, wake words and padding that carry no meaning for the command.
add({ t: 'filler' },
  'please', 'pls', 'plz', 'kindly', 'hey', 'hi', 'hello', 'ok', 'okay', 'hestia', 'hey hestia', 'ok hestia',
  'can you', 'could you', 'would you', 'will you', 'would you ever', 'will you ever', 'could you ever', 'can u', 'could u', 'would you mind', 'would you please',
  'i want you to', 'i need you to', 'i would like you to', 'i want', 'i need', 'i would like', 'i like', 'id like',
  'i wanna', 'wanna', 'lets', 'let us', 'go ahead and', 'just', 'quickly', 'now', 'right now', 'immediately',
  'for me', 'thanks', 'thank you', 'thank', 'cheers', 'the', 'a', 'an', 'our', 'your', 'some', 'there',
  'again', 'please and thank you', 'real quick', 'asap', 'thx', 'ty', 'tysm', 'lmk', 'rn', 'plss', 'pleaseee', 'yo', 'um', 'uh', 'er', 'erm', 'hmm', 'well', 'so',
  'actually', 'mate', 'buddy', 'assistant', 'alright', 'all right', 'right', 'maybe', 'currently', 'at moment',
  'at the moment', 'still', 'way', 'level', 'value', 'setting of', 'room', 'area', 'whole', 'entire', 'house',
  'home', 'place', 'everywhere', 'anywhere', 'i said', 'also please', 'oh', 'huh', 'sir', 'yeah', 'yes', 'do me a favor and',
  'can i get', 'be', 'get', 'you', 'me', 'way too', 'pretty', 'very', 'really', 'currently set', 'set at',
  'back to its dock', 'back to dock', 'to its dock', 'to dock', 'back to base', 'to base', 'back home', 'to its base',
  'to charge', 'to charging station', 'in here', 'here', 'in this room', 'tell', 'ask', 'back to charging station', 'back to the charger', 'back to charger',
  'its', 'whatever', 'whatevers', 'whatever is', 'over', 'like', 'back', 'can', 'of the way', 'kind of', 'sort of',
  'dear', 'love', 'darling', 'sweetheart', 'hun', 'honey', 'my love', 'my dear', 'possibly', 'kindly',
  'i wonder if you could', 'i wonder if you could possibly', 'i wonder if you would', 'i was wondering if you could',
  'if you would', 'if you could', 'if you do not mind', 'if you would not mind', 'would you be so kind as to',
  'be a dear and', 'be a love and', 'when you get a chance', 'when you have a moment', 'be so kind and', 'be so kind as to', 'be kind and',
  'on or off', 'off or on', 'open or closed', 'open or close', 'closed or open', 'locked or unlocked', 'unlocked or locked', 'another', 'a further', 'fr', 'frfr', 'bro', 'bruh', 'dude', 'ngl', 'i am wanting', 'im wanting', 'we are wanting', 'i am needing', 'we want', 'we need', 'we would like', 'only',
  'side to side', 'back and forth', 'round and round', 'have', 'have left', 'left in it',
  'out back', 'out front', 'out there', 'pulling', 'drawing', 'using', 'consuming', 'at right now', 'it does', 'it can', 'it can do', 'it will go', 'it goes',
);

/** Multi-word phrases, keyed by their normalised text; a phrase may carry several readings. */
export const LEXICON: ReadonlyMap<string, Tag[]> = (() => {
  const map = new Map<string, Tag[]>();
  for (const [phrase, tag] of phrases) {
    // Keys are stemmed like request tokens are, so "lights" and "light" meet.
    const key = phrase.split(' ').map(stem).join(' ');
    const list = map.get(key) ?? [];
    list.push(tag);
    map.set(key, list);
  }
  return map;
})();

export const MAX_PHRASE_TOKENS = Math.max(...[...LEXICON.keys()].map((k) => k.split(' ').length));

/** Every single word the lexicon knows, for speech-to-text slip correction. */
export const LEXICON_WORDS: ReadonlySet<string> = new Set([...LEXICON.keys()].flatMap((k) => k.split(' ')));

/** Known slips that edit distance cannot safely catch (short words, homophones). */
export const SLIPS: ReadonlyMap<string, string> = new Map([
  ['lite', 'light'], ['lites', 'lights'], ['lyte', 'light'], ['lytes', 'lights'], ['lamb', 'lamp'],
  ['tern', 'turn'], ['trun', 'turn'], ['tun', 'turn'], ['turm', 'turn'], ['torn', 'turn'],
  ['swich', 'switch'], ['swtich', 'switch'], ['witch', 'switch'],
  ['awn', 'on'], ['offf', 'off'], ['aff', 'off'],
  ['fam', 'fan'], ['fen', 'fan'], ['tee', 'tv'], ['teevee', 'tv'], ['tele', 'tv'],
  ['thermostate', 'thermostat'], ['thermastat', 'thermostat'], ['thermometer', 'thermostat'],
  ['blines', 'blinds'], ['blins', 'blinds'], ['shads', 'shades'], ['curtins', 'curtains'],
  ['lok', 'lock'], ['unlok', 'unlock'], ['clothes', 'close'], ['clothe', 'close'],
  ['paws', 'pause'], ['pours', 'pause'], ['pores', 'pause'], ['plai', 'play'],
  ['volumn', 'volume'], ['procent', 'percent'],
  ['prcent', 'percent'], ['purcent', 'percent'], ['degrease', 'degree'], ['degres', 'degree'],
  ['dimm', 'dim'], ['dimmed', 'dim'], ['brite', 'bright'], ['britness', 'brightness'],
  ['vaccum', 'vacuum'], ['vacume', 'vacuum'], ['vacum', 'vacuum'], ['sprinkles', 'sprinklers'],
  ['kichen', 'kitchen'], ['stare', 'stair'], ['stares', 'stairs'], ['rale', 'rail'], ['rales', 'rails'],
  ['sealing', 'ceiling'], ['ceeling', 'ceiling'], ['seiling', 'ceiling'], ['kitchin', 'kitchen'], ['bedrom', 'bedroom'],
  ['livin', 'living'], ['offic', 'office'], ['garrage', 'garage'], ['gararge', 'garage'],
]);
