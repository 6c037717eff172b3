// Dropped connections, against a real server through a TCP proxy: calls made meanwhile wait for
// the next session, and a tracked room recovers every message sent meanwhile, once, in order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { States, TimeoutError } from "../src/parley.js";
import { TcpProxy, freshRoom, newClient, nextEvent, serverPort, wsUrl } from "./support.js";

async function withProxy(body) {
  const proxy = await TcpProxy.start(serverPort());
  const clients = [];
  const open = async (url, options) => {
    const client = newClient(url, options);
    clients.push(client);
    await client.connect();
    return client;
  };
  try {
    await body(proxy, open);
  } finally {
    clients.forEach((c) => c.close());
    await proxy.close();
  }
}

/** Cuts the client's connection and keeps the server out of reach until `proxy.accept()`. */
async function cut(proxy, client) {
  const reconnecting = nextEvent(client, "state", (d) => d.state === States.RECONNECTING);
  proxy.refuse();
  proxy.drop();
  await reconnecting;
}

test("calls made while reconnecting wait for the connection, bounded by their timeout", { timeout: 60_000 }, async () => {
  await withProxy(async (proxy, open) => {
    const room = freshRoom("waiting");
    const alice = await open(wsUrl(proxy.port), { name: "alice" });
    const bob = await open(wsUrl(), { name: "bob" });
    await alice.join(room);

    await cut(proxy, alice);
    const sent = alice.send(room, "sent while reconnecting");
    const echoed = alice.call("echo", { n: 1 });
    await assert.rejects(alice.call("echo", { n: 2 }, { timeoutMs: 50 }), TimeoutError);
    proxy.accept();

    const message = await sent;
    assert.equal(message.text, "sent while reconnecting");
    assert.deepEqual(await echoed, { n: 1 });
    assert.equal(alice.state, States.OPEN);
    const stored = await bob.history(room, { limit: 10 });
    assert.deepEqual(stored.map((m) => m.text), ["sent while reconnecting"]);
  });
});

test("after a dropped connection the room recovers with since: every message once, in order", { timeout: 60_000 }, async () => {
  await withProxy(async (proxy, open) => {
    const room = freshRoom("recovery");
    const alice = await open(wsUrl(proxy.port), { name: "alice" });
    const bob = await open(wsUrl(), { name: "bob" });
    const seen = [];
    alice.addEventListener("message", (e) => seen.push(e.detail));
    await alice.join(room);
    await bob.join(room);

    const first = nextEvent(alice, "message", (m) => m.room === room);
    await bob.send(room, "m1");
    await first;

    await cut(proxy, alice);
    for (let i = 2; i <= 6; i++) {
      await bob.send(room, `m${i}`);
    }
    const rejoined = nextEvent(alice, "rejoined", (r) => r.room === room);
    const caughtUp = nextEvent(alice, "message", (m) => m.room === room && m.text === "m6");
    proxy.accept();
    await rejoined;
    await caughtUp;
    const live = nextEvent(alice, "message", (m) => m.room === room && m.text === "m7");
    await bob.send(room, "m7");
    await live;

    assert.deepEqual(seen.map((m) => m.text), ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    const seqs = seen.map((m) => m.seq);
    seqs.forEach((seq, i) => assert.equal(seq, seqs[0] + i, `seqs without a gap: ${seqs}`));
    assert.equal(alice.rooms().get(room), seqs.at(-1));
  });
});
