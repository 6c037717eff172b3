// What the package's tests share: the server under test (PARLEY_TEST_PORT, a real Parley server
// on 127.0.0.1), a TCP proxy that can drop and refuse connections, and waits that time out.
import { createHmac } from "node:crypto";
import net from "node:net";
import { WebSocket } from "ws";
import { ParleyClient } from "../src/parley.js";

/** The port of the Parley server under test; the tests need one (JsClientNodeTest starts it). */
export function serverPort() {
  const port = Number(process.env.PARLEY_TEST_PORT);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`PARLEY_TEST_PORT must name the port of a running Parley server, was ${process.env.PARLEY_TEST_PORT}`);
  }
  return port;
}

export function wsUrl(port = serverPort()) {
  return `ws://127.0.0.1:${port}/ws`;
}

/** A room name no other test uses. */
export function freshRoom(prefix) {
  return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
}

/** A client on `url` with the ws package's WebSocket and quick, fixed backoff; options override. */
export function newClient(url, options = {}) {
  return new ParleyClient(url, { WebSocket, minDelayMs: 20, maxDelayMs: 200, random: () => 0.5, callTimeoutMs: 10_000, ...options });
}

/**
 * Resolves with the first `type` event of `target` whose detail passes `test`; rejects after
 * `timeoutMs` saying what it waited for.
 */
export function nextEvent(target, type, test = () => true, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const listener = (event) => {
      if (test(event.detail)) {
        clearTimeout(timer);
        target.removeEventListener(type, listener);
        resolve(event.detail);
      }
    };
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`no matching '${type}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    target.addEventListener(type, listener);
  });
}

/**
 * A TCP proxy in front of the server: `drop()` cuts every connection (the client sees 1006),
 * `refuse()` makes new connections close at once until `accept()`. Counts connections.
 */
export class TcpProxy {
  #server;
  #sockets = new Set();
  #refusing = false;
  connections = 0;

  static async start(targetPort) {
    const proxy = new TcpProxy();
    proxy.#server = net.createServer((client) => proxy.#onConnection(client, targetPort));
    await new Promise((resolve, reject) => {
      proxy.#server.once("error", reject);
      proxy.#server.listen(0, "127.0.0.1", resolve);
    });
    return proxy;
  }

  get port() {
    return this.#server.address().port;
  }

  #onConnection(client, targetPort) {
    this.connections++;
    if (this.#refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      this.#sockets.add(a);
      a.on("error", () => b.destroy());
      a.on("close", () => {
        this.#sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  }

  refuse() {
    this.#refusing = true;
  }

  accept() {
    this.#refusing = false;
  }

  drop() {
    for (const socket of this.#sockets) {
      socket.destroy();
    }
  }

  async close() {
    this.drop();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/**
 * The token-mode server under test, when there is one: PARLEY_TEST_TOKEN_PORT and its HS256
 * secret PARLEY_TEST_JWT_SECRET; null without them (the token tests then skip).
 */
export function tokenServer() {
  const port = Number(process.env.PARLEY_TEST_TOKEN_PORT);
  const secret = process.env.PARLEY_TEST_JWT_SECRET;
  return Number.isInteger(port) && port > 0 && secret ? { port, secret } : null;
}

/**
 * The server with a connect proxy (PARLEY_TEST_PROXY_PORT), or null: its backend admits
 * credentials `{"user": name}` as that user and refuses anything else with the reason "no user".
 */
export function proxyServer() {
  const port = Number(process.env.PARLEY_TEST_PROXY_PORT);
  return Number.isInteger(port) && port > 0 ? { port } : null;
}

/** An HS256 JWT for `sub`, valid for `seconds`. */
export function signToken(secret, sub, seconds) {
  const part = (object) => Buffer.from(JSON.stringify(object)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + seconds })}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
