// Token mode, against a real server started with a JWT secret (skipped without one): a refused
// Bearer token is one attempt; short tokens are refreshed on the live session and at reconnects.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocket } from "ws";
import { RefusedError, States } from "../src/parley.js";
import { TcpProxy, freshRoom, newClient, nextEvent, signToken, tokenServer, wsUrl } from "./support.js";

const server = tokenServer();
const skip = server ? false : "no token-mode server (PARLEY_TEST_TOKEN_PORT, PARLEY_TEST_JWT_SECRET)";

test("a refused token on the upgrade (401) rejects connect() and is not retried", { timeout: 60_000, skip }, async () => {
  let attempts = 0;
  class BadBearer extends WebSocket {
    constructor(url) {
      super(url, [], { headers: { Authorization: "Bearer not-a-jwt" } });
      attempts++;
    }
  }
  const client = newClient(wsUrl(server.port), { WebSocket: BadBearer, minDelayMs: 1, maxDelayMs: 1 });
  const errorEvent = nextEvent(client, "error");

  const failure = await client.connect().then(() => assert.fail("connect() resolved"), (e) => e);

  assert.ok(failure instanceof RefusedError, `expected a RefusedError, got ${failure}`);
  assert.equal(failure.status, 401);
  assert.equal((await errorEvent).error, failure);
  assert.equal(client.state, States.CLOSED);
  assert.equal(attempts, 1);
});

test("with 5-second tokens a client keeps receiving for 20 s, across a forced reconnect, with no gap", { timeout: 90_000, skip }, async () => {
  const room = freshRoom("tokens");
  const proxy = await TcpProxy.start(server.port);
  let tokenAsked = () => {};
  let asked = 0;
  const alice = newClient(wsUrl(proxy.port), {
    getToken: async () => {
      asked++;
      tokenAsked();
      return signToken(server.secret, "alice", 5);
    },
  });
  const bob = newClient(wsUrl(server.port), { token: signToken(server.secret, "bob", 600) });
  const nextTokenRequest = () => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("getToken() not called within 10 s")), 10_000);
    tokenAsked = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const seen = [];
  const states = [];
  alice.addEventListener("message", (e) => seen.push(e.detail));
  alice.addEventListener("state", (e) => states.push(e.detail.state));
  try {
    await alice.connect();
    await bob.connect();
    await alice.join(room);
    await bob.join(room);
    const started = Date.now();
    let n = 0;
    let forced = false;
    while (Date.now() - started < 20_000) {
      const text = `m${++n}`;
      const received = nextEvent(alice, "message", (m) => m.room === room && m.text === text);
      await bob.send(room, text);
      await received;
      if (!forced && Date.now() - started >= 8_000) {
        forced = true; // a forced reconnect; messages sent meanwhile come back with since
        const reconnecting = nextEvent(alice, "state", (d) => d.state === States.RECONNECTING);
        proxy.refuse();
        proxy.drop();
        await reconnecting;
        await bob.send(room, `m${++n}`);
        const reopened = nextEvent(alice, "rejoined", (r) => r.room === room);
        proxy.accept();
        await reopened;
      }
      await nextTokenRequest(); // paced by the client's own refreshes, every ~2.5 s
    }
    assert.ok(forced);
    assert.deepEqual(seen.map((m) => m.text), Array.from({ length: n }, (_, i) => `m${i + 1}`));
    seen.forEach((m, i) => assert.equal(m.seq, seen[0].seq + i));
    assert.equal(states.filter((s) => s === States.OPEN).length, 2, `one forced reconnect only: ${states}`);
    assert.ok(!states.includes(States.CLOSED), `never closed: ${states}`);
    assert.ok(asked >= 8, `tokens asked for: ${asked}`);
  } finally {
    alice.close();
    bob.close();
    await proxy.close();
  }
});
