// `hestia say "<text>"`: sends one request to a running Hestia over MQTT and prints its reply.
// Exit codes: 0 the request was carried out (status ok), 1 Hestia answered with another status
// (no_match, needs_confirmation, rejected, busy, timeout, error), 2 bad usage, 3 no answer (no
// broker, or no reply before --timeout-ms), 78 bad configuration file.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load-config.js';
import { errorInfo } from '../../errors.js';
import { askHestia, newRequestId } from '../../mqtt/request-client.js';
import type { ReplyMessage, RequestMessage } from '../../mqtt/wire.js';
import type { CliIo } from '../io.js';
import { EXIT_CONFIG, EXIT_USAGE, refusePasswordFlag } from './run.js';

export const EXIT_NOT_OK = 1;
export const EXIT_NO_ANSWER = 3;

const USAGE = `usage: hestia say "<text>" [options]

Sends the text to a running Hestia and prints the reply.

      --site S            the site (satellite or room) the request comes from
      --area A            the speaker's area id
      --conversation C    a conversation id: follow-ups ("turn it off", "yes") in the same one
      --confirmation ID   answer this confirmation (from a needs_confirmation reply) with the text
      --mqtt-url URL      broker (default: from --config, else mqtt://127.0.0.1:1883)
      --topic-prefix P    topic prefix (default: from --config, else hestia)
  -c, --config FILE       read broker, prefix and credentials from Hestia's configuration
      --json              print the raw reply as one JSON line
      --timeout-ms N      how long to wait for the reply (default 20000)

Exit codes: 0 ok, 1 answered with another status, 2 bad usage, 3 no answer, 78 bad configuration.
`;

export async function say(io: CliIo): Promise<number> {
  if (refusePasswordFlag(io.argv, 'say', io)) return EXIT_USAGE;
  let parsed;
  try {
    parsed = parseArgs({
      args: io.argv,
      strict: true,
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        area: { type: 'string' },
        conversation: { type: 'string' },
        confirmation: { type: 'string' },
        'mqtt-url': { type: 'string' },
        'topic-prefix': { type: 'string' },
        config: { type: 'string', short: 'c' },
        json: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`hestia say: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const text = positionals.join(' ').trim();
  if (!text) {
    io.stderr.write(`hestia say: what should Hestia do? Give the text, e.g. hestia say "turn on the kitchen light"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const timeoutMs = values['timeout-ms'] !== undefined ? Number(values['timeout-ms']) : 20_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    io.stderr.write(`hestia say: --timeout-ms must be a positive whole number of milliseconds\n`);
    return EXIT_USAGE;
  }

  let url: string;
  let topicPrefix: string;
  let username: string | undefined;
  let password: string | undefined;
  try {
    const config = await loadConfig({ ...(values.config !== undefined ? { file: values.config } : {}), env: io.env });
    const embedded = `mqtt://${config.embedded_broker.host.includes(':') ? `[${config.embedded_broker.host}]` : config.embedded_broker.host}:${config.embedded_broker.port}`;
    url = values['mqtt-url'] ?? (config.mqtt.url || embedded);
    topicPrefix = values['topic-prefix'] ?? config.mqtt.topic_prefix;
    username = config.mqtt.username;
    password = config.mqtt.password;
  } catch (err) {
    io.stderr.write(`hestia say: ${errorInfo(err).code}: ${errorInfo(err).message}\n`);
    return EXIT_CONFIG;
  }

  const request: RequestMessage = {
    id: newRequestId(),
    text,
    ...(values.site !== undefined ? { site: values.site } : {}),
    source: 'cli' as const,
    ...(values.area !== undefined ? { area_id: values.area } : {}),
    ...(values.conversation !== undefined ? { conversation_id: values.conversation } : {}),
    ...(values.confirmation !== undefined ? { confirmation_id: values.confirmation } : {}),
  };
  let reply: ReplyMessage;
  try {
    ({ reply } = await askHestia(request, {
      url,
      topicPrefix,
      timeoutMs,
      signal: io.signal,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    }));
  } catch (err) {
    const { code, message } = errorInfo(err);
    io.stderr.write(`hestia say: ${code}: ${message}\n`);
    return EXIT_NO_ANSWER;
  }
  io.stdout.write(values.json ? `${JSON.stringify(reply)}\n` : describeReply(reply));
  return reply.status === 'ok' ? 0 : EXIT_NOT_OK;
}

/** The reply for a person: what Hestia said, then what it did. */
export function describeReply(reply: ReplyMessage): string {
  const lines = [reply.speech || '(no speech)'];
  const total = Object.values(reply.timings_ms).reduce<number>((sum, v) => sum + (v ?? 0), 0);
  lines.push(`  status:     ${reply.status}${reply.source !== 'none' ? ` (${reply.source === 'fast' ? 'fast path' : 'model'})` : ''}, ${total.toFixed(1)} ms`);
  if (reply.error) lines.push(`  error:      ${reply.error.code}: ${reply.error.message}`);
  for (const a of reply.actions) {
    const data = Object.keys(a.data).length > 0 ? ` ${JSON.stringify(a.data)}` : '';
    lines.push(`  action:     ${a.domain}.${a.service} ${a.entity_ids.join(', ')}${data}`);
  }
  if (reply.query_entity_ids.length > 0) lines.push(`  read:       ${reply.query_entity_ids.join(', ')}`);
  for (const p of reply.published) lines.push(`  published:  ${p.topic} ${p.payload}`);
  for (const u of reply.undelivered ?? []) lines.push(`  not sent:   ${u.entity_id} (${u.domain}.${u.service}): ${u.reason}`);
  for (const c of reply.called ?? []) {
    const outcome = c.ok ? Object.entries(c.verified).map(([id, v]) => `${id} ${v.replace('_', ' ')}`).join(', ') : `failed: ${c.error ?? 'unknown error'}`;
    lines.push(`  called:     ${c.domain}.${c.service} ${c.entity_ids.join(', ')} (${outcome})`);
  }
  if (reply.confirmation) {
    lines.push(`  confirm:    ${reply.confirmation.question}${reply.confirmation.pin_required ? ' (with the PIN)' : ''}`);
    lines.push(`              answer with: hestia say yes${reply.confirmation.id ? ` --confirmation ${reply.confirmation.id}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
