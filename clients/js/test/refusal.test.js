// Refused upgrades and bounded retries, against a real server: a refusal is one attempt, then
// `error`, a rejected connect() and state closed; an unreachable server is tried maxAttempts times.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocket } from "ws";
import { ClosedError, RefusedError, States } from "../src/parley.js";
import { TcpProxy, newClient, nextEvent, serverPort, wsUrl } from "./support.js";

/** The ws package's WebSocket sending a foreign Origin header (what a browser on another site does), counting attempts. */
function foreignOrigin(counter) {
  return class extends WebSocket {
    constructor(url) {
      super(url, [], { origin: "http://evil.example" });
      counter.attempts++;
    }
  };
}

test("a refused origin (403) rejects connect(), fires error, closes, and is not retried", { timeout: 60_000 }, async () => {
  const counter = { attempts: 0 };
  const client = newClient(wsUrl(), { WebSocket: foreignOrigin(counter), minDelayMs: 1, maxDelayMs: 1 });
  const errorEvent = nextEvent(client, "error");
  const closed = nextEvent(client, "state", (d) => d.state === States.CLOSED);

  const failure = await client.connect().then(() => assert.fail("connect() resolved"), (e) => e);

  assert.ok(failure instanceof RefusedError, `expected a RefusedError, got ${failure}`);
  assert.equal(failure.status, 403);
  assert.equal(failure.code, "refused");
  assert.equal((await errorEvent).error, failure);
  await closed;
  assert.equal(client.state, States.CLOSED); // closed: no retry is scheduled
  assert.equal(counter.attempts, 1);
  await assert.rejects(client.call("echo", {}), ClosedError);
});

test("maxAttempts bounds the attempts at an unreachable server", { timeout: 60_000 }, async () => {
  const proxy = await TcpProxy.start(serverPort());
  try {
    proxy.refuse();
    const client = newClient(wsUrl(proxy.port), { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 5 });
    const errorEvent = nextEvent(client, "error");

    const failure = await client.connect().then(() => assert.fail("connect() resolved"), (e) => e);

    assert.ok(failure instanceof ClosedError, `expected a ClosedError, got ${failure}`);
    assert.match(failure.message, /gave up after 3 failed attempt/);
    assert.equal((await errorEvent).error, failure);
    assert.equal(client.state, States.CLOSED);
    assert.equal(proxy.connections, 3);
  } finally {
    await proxy.close();
  }
});

test("getToken() is called before every connection attempt", { timeout: 60_000 }, async () => {
  const proxy = await TcpProxy.start(serverPort());
  const client = newClient(wsUrl(proxy.port), { getToken: async () => { calls++; return undefined; } });
  let calls = 0;
  try {
    await client.connect();
    assert.equal(calls, 1);
    const reopened = nextEvent(client, "state", (d) => d.state === States.OPEN);
    proxy.drop();
    await reopened;
    assert.equal(calls, 2);
  } finally {
    client.close();
    await proxy.close();
  }
});
