// `hestia run`: the daemon in the foreground until SIGINT/SIGTERM (io.signal), logging pino JSON to
// stdout for the journal. Exit codes: 0 clean stop, 1 unexpected failure, 2 bad usage,
// 78 (EX_CONFIG) bad configuration, home file or model, or the broker refused Hestia's login or
// subscription: restarting would not help.
import { parseArgs } from 'node:util';
import { loadConfig, type ConfigOverrides } from '../../config/load-config.js';
import { Daemon } from '../../daemon/daemon.js';
import { errorInfo, HestiaError } from '../../errors.js';
import { createLogger } from '../../log/logger.js';
import type { CliIo } from '../io.js';

export const EXIT_USAGE = 2;
export const EXIT_CONFIG = 78;

const USAGE = `usage: hestia run [options]

Runs Hestia until SIGINT or SIGTERM. Without --config: embedded MQTT broker on 127.0.0.1:1883
and the demo home.

  -c, --config FILE       configuration file (YAML or JSON); see config/hestia.example.yaml
      --mqtt-url URL      broker (mqtt://, mqtts://, ws://, wss://); empty string = embedded broker
      --topic-prefix P    topic prefix (default hestia)
      --home FILE         home snapshot file
      --model FILE|URI    GGUF model file or hf: URI (default: DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M,
                          downloaded once into the cache)
      --no-model          fast path only
      --log-level LEVEL   fatal, error, warn, info, debug, trace or silent
      --ha-url URL        Home Assistant's websocket (ws://host:8123/api/websocket): the home,
                          requests from automations and execution come from it
      --ha-token-file F   a file holding Home Assistant's long-lived access token
                          (or HESTIA_HA_TOKEN in the environment)

Secrets come from HESTIA_MQTT_USERNAME / HESTIA_MQTT_PASSWORD or mqtt.password_file.
Exit codes: 0 stopped cleanly, 1 failed, 2 bad usage, 78 bad configuration, home or model,
or the broker refused Hestia's login or subscription.
`;

/** Refuses passwords on the command line: they would sit in `ps` output and shell history. */
export function refusePasswordFlag(argv: string[], command: string, io: CliIo): boolean {
  const flag = argv.find((a) => /^--(mqtt-)?pass(word)?(-file)?(=|$)/i.test(a));
  if (!flag) return false;
  io.stderr.write(
    `hestia ${command}: ${flag.split('=')[0]} is not accepted: a password on the command line shows in process lists and shell history.\n` +
      'Set HESTIA_MQTT_PASSWORD in the environment (systemd: EnvironmentFile=) or mqtt.password_file in the configuration.\n',
  );
  return true;
}

export async function run(io: CliIo): Promise<number> {
  if (refusePasswordFlag(io.argv, 'run', io)) return EXIT_USAGE;
  let values;
  try {
    ({ values } = parseArgs({
      args: io.argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        'mqtt-url': { type: 'string' },
        'topic-prefix': { type: 'string' },
        home: { type: 'string' },
        model: { type: 'string' },
        'no-model': { type: 'boolean' },
        'log-level': { type: 'string' },
        'ha-url': { type: 'string' },
        'ha-token-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr.write(`hestia run: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.model !== undefined && values['no-model']) {
    io.stderr.write('hestia run: --model and --no-model contradict each other\n');
    return EXIT_USAGE;
  }
  const overrides: ConfigOverrides = {
    ...(values['mqtt-url'] !== undefined ? { mqttUrl: values['mqtt-url'] } : {}),
    ...(values['topic-prefix'] !== undefined ? { topicPrefix: values['topic-prefix'] } : {}),
    ...(values.home !== undefined ? { home: values.home } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(values['no-model'] ? { noModel: true } : {}),
    ...(values['log-level'] !== undefined ? { logLevel: values['log-level'] } : {}),
    ...(values['ha-url'] !== undefined ? { haUrl: values['ha-url'] } : {}),
    ...(values['ha-token-file'] !== undefined ? { haTokenFile: values['ha-token-file'] } : {}),
  };

  let daemon: Daemon;
  try {
    const config = await loadConfig({ ...(values.config !== undefined ? { file: values.config } : {}), overrides, env: io.env });
    const log = createLogger({ level: config.log.level, destination: io.stdout });
    daemon = new Daemon({ config, log, env: io.env });
    await daemon.start(io.signal);
  } catch (err) {
    if (io.signal.aborted) return 0;
    return reportStartFailure(err, io);
  }
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    await daemon.stop();
    return 0;
  } catch (err) {
    io.stderr.write(`hestia run: stopping failed: ${errorInfo(err).message}\n`);
    return 1;
  }
}

function reportStartFailure(err: unknown, io: CliIo): number {
  const { code, message } = errorInfo(err);
  io.stderr.write(`hestia run: ${code}: ${message}\n`);
  // At start, an unreachable broker is retried, never reported; HESTIA_BROKER_UNREACHABLE here means
  // the broker refused the login or the subscription: credentials or ACL to fix, not a retry.
  const configProblem =
    err instanceof HestiaError && ['HESTIA_BAD_CONFIG', 'HESTIA_BAD_HOME', 'HESTIA_MODEL_UNAVAILABLE', 'HESTIA_BROKER_UNREACHABLE'].includes(err.code);
  return configProblem ? EXIT_CONFIG : 1;
}
