// A demo: the Home Assistant test server playing the four-floor townhouse (133 entities), for
// trying `hestia run --ha-url` without a Home Assistant. `npm run demo:ha`, then in another terminal
// the command it prints; fire requests from a third with `hestia say` (they act through the fake
// Home Assistant, whose service calls are printed here).
import { fileURLToPath } from 'node:url';
import { haHomeFrom } from './ha-home.js';
import { HomeAssistantTestServer } from './ha-server.js';

const port = Number(process.env.HA_DEMO_PORT ?? 8123);
const home = haHomeFrom(fileURLToPath(new URL('../../../test/eval/homes/townhouse.json', import.meta.url)));
const server = await HomeAssistantTestServer.start(home, { token: 'demo-token', port });
const calls = server.calls;
const push = calls.push.bind(calls);
calls.push = (...items) => {
  for (const c of items) process.stdout.write(`call_service ${c.domain}.${c.service} ${JSON.stringify(c.target.entity_id)} ${JSON.stringify(c.service_data)}\n`);
  return push(...items);
};
process.stdout.write(
  `Home Assistant test server with ${home.states.length} entities on ${server.url}\n` +
    `Run Hestia against it:  HESTIA_HA_TOKEN=demo-token npx hestia run --ha-url ${server.url}\n` +
    'Then:                   npx hestia say "turn on the utility light"\n',
);
process.on('SIGINT', () => void server.stop().then(() => process.exit(0)));
