// The websocket under home-assistant-js-websocket on Node 20, which has no global WebSocket: a `ws`
// socket that runs Home Assistant's auth phase (auth_required -> auth -> auth_ok | auth_invalid) and
// hands the library an authenticated socket. Failures use the library's codes, so its reconnect
// loop retries a refused connection and stops on a refused token.
import { ERR_CANNOT_CONNECT, ERR_INVALID_AUTH, type HaWebSocket } from 'home-assistant-js-websocket';
import { WebSocket } from 'ws';

export interface SocketOptions {
  url: string;
  token: string;
  /** Give up on one attempt after this long (a stalled TCP connect emits nothing). */
  connectTimeoutMs: number;
}

export function openHaSocket({ url, token, connectTimeoutMs }: SocketOptions): Promise<HaWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: connectTimeoutMs });
    let settled = false;
    const fail = (code: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('message');
      socket.terminate();
      reject(code);
    };
    const timer = setTimeout(() => fail(ERR_CANNOT_CONNECT), connectTimeoutMs);
    socket.on('error', () => fail(ERR_CANNOT_CONNECT));
    socket.on('close', () => fail(ERR_CANNOT_CONNECT));
    socket.on('message', (raw) => {
      let message: { type?: string; ha_version?: string };
      try {
        message = JSON.parse(raw.toString()) as typeof message;
      } catch {
        fail(ERR_CANNOT_CONNECT);
        return;
      }
      if (message.type === 'auth_required') socket.send(JSON.stringify({ type: 'auth', access_token: token }));
      else if (message.type === 'auth_invalid') fail(ERR_INVALID_AUTH);
      else if (message.type === 'auth_ok') {
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners('message');
        socket.removeAllListeners('close');
        socket.removeAllListeners('error');
        // The library reads the socket through the DOM WebSocket interface, which `ws` also offers.
        const ha = socket as unknown as HaWebSocket;
        ha.haVersion = message.ha_version ?? '0.0.0';
        // An error after auth closes the socket; the library's close handler takes it from there.
        socket.on('error', () => socket.terminate());
        resolve(ha);
      }
    });
  });
}
