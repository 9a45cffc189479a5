// A real Mosquitto for interoperability and fault-injection tests: started from a generated config
// on a free 127.0.0.1 port, waited for until it accepts connections, and stoppable (SIGTERM, which
// saves persistent sessions), killable (SIGKILL) and restartable on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/bin/mosquitto'];

export function mosquittoBinary(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error('Mosquitto is not installed; these tests need a real broker: apt-get install mosquitto');
  }
  return found;
}

export interface MosquittoOptions {
  /** Keep sessions and queued messages across restarts (saved on SIGTERM). */
  persistence?: boolean;
  /** Lines of an ACL file (`topic readwrite hestia/#`); anonymous clients get only these. */
  acl?: string[];
  /** user -> password; anonymous clients are then refused. */
  users?: Record<string, string>;
}

export class Mosquitto {
  readonly port: number;
  readonly dir: string;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  static async start(options: MosquittoOptions = {}): Promise<Mosquitto> {
    mosquittoBinary();
    const dir = await mkdtemp(join(tmpdir(), 'hestia-mosquitto-'));
    const broker = new Mosquitto(await freePort(), dir);
    const lines = [
      `listener ${broker.port} 127.0.0.1`,
      // Mosquitto drops root privileges to this user; the current user can read the files here.
      `user ${userInfo().username}`,
      `log_dest file ${join(dir, 'mosquitto.log')}`,
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
    ];
    if (options.persistence) lines.push('persistence true', `persistence_location ${dir}/`);
    if (options.acl) {
      await writeFile(join(dir, 'acl'), `${options.acl.join('\n')}\n`);
      lines.push(`acl_file ${join(dir, 'acl')}`);
    }
    if (options.users) {
      const passwd = join(dir, 'passwd');
      await writeFile(passwd, '');
      for (const [user, password] of Object.entries(options.users)) {
        await runOnce('mosquitto_passwd', ['-b', passwd, user, password]);
      }
      lines.push('allow_anonymous false', `password_file ${passwd}`);
    } else {
      lines.push('allow_anonymous true');
    }
    await writeFile(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
    await broker.#spawn();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Mosquitto's own log, for assertion messages. */
  async log(): Promise<string> {
    return readFile(join(this.dir, 'mosquitto.log'), 'utf8').catch(() => '');
  }

  /** Graceful stop (SIGTERM): clients are disconnected, persistent sessions saved. */
  async stop(): Promise<void> {
    await this.#signal('SIGTERM');
  }

  /** Abrupt death (SIGKILL). */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /** Starts again on the same port with the same configuration (and saved sessions). */
  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  /** Stops it and removes its files. */
  async dispose(): Promise<void> {
    await this.#signal('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const child = spawn(mosquittoBinary(), ['-c', join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let started = false;
    const early = this.#exited.then(() => {
      if (!started) throw new Error(`mosquitto exited at start: ${stderr}`);
    });
    try {
      await Promise.race([waitForPort(this.port), early]);
    } finally {
      started = true;
    }
  }

  async #signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await this.#exited;
    this.#child = undefined;
  }
}

function runOnce(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}
