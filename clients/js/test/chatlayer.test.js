// Contract 1.1 as far as the server serves it: typing, read positions and room info, against a real server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { States } from "../src/parley.js";
import { TcpProxy, freshRoom, newClient, nextEvent, serverPort, wsUrl } from "./support.js";

async function withClients(names, body) {
  const clients = names.map((name) => newClient(wsUrl(), { name }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    await body(...clients);
  } finally {
    clients.forEach((c) => c.close());
  }
}

test("typing and read positions reach the other members as events", { timeout: 30_000 }, async () => {
  await withClients(["ann", "bob"], async (ann, bob) => {
    const room = freshRoom("layer");
    await ann.join(room);
    await bob.join(room);

    const typing = nextEvent(bob, "typing");
    assert.equal(ann.typing(room), true);
    assert.deepEqual((await typing), { room, user: "ann" });

    const sent = await bob.send(room, "read me");
    const read = nextEvent(bob, "read");
    assert.equal(await ann.markRead(room, sent.seq), sent.seq);
    assert.deepEqual(await read, { room, user: "ann", seq: sent.seq });
    assert.equal(await ann.markRead(room, 0), sent.seq, "positions only move forward");
  });
});

test("info counts the room's users and sessions; anyone may ask", { timeout: 30_000 }, async () => {
  await withClients(["ann", "ann", "olga"], async (ann, ann2, olga) => {
    const room = freshRoom("info");
    await ann.join(room);
    await ann2.join(room);
    await ann.send(room, "one");
    assert.deepEqual(await olga.info(room), { room, seq: 1, rev: 0, members: 1, sessions: 2 });
  });
});

test("direct messages come to both users without a join, and what came while away is recovered", { timeout: 60_000 }, async () => {
  const proxy = await TcpProxy.start(serverPort());
  const ann = newClient(wsUrl(proxy.port), { name: `ann-${process.pid}` });
  const bob = newClient(wsUrl(), { name: `bob-${process.pid}` });
  try {
    await Promise.all([ann.connect(), bob.connect()]);
    const annGot = [];
    ann.addEventListener("message", (e) => annGot.push(e.detail));
    const atBob = nextEvent(bob, "message", (m) => m.text === "hi bob");
    const sent = await ann.sendDirect(bob.user, "hi bob");
    assert.equal(sent.to, bob.user);
    assert.match(sent.room, /^dm\.[0-9a-f]{32}$/);
    assert.equal((await atBob).to, bob.user);
    const convs = await bob.conversations();
    assert.equal(convs[0].room, sent.room);
    assert.equal(convs[0].with, ann.user);

    // ann's connection drops; bob writes twice meanwhile; ann gets both once, in order, after it comes back.
    const reconnecting = nextEvent(ann, "state", (d) => d.state === States.RECONNECTING);
    proxy.refuse();
    proxy.drop();
    await reconnecting;
    await bob.sendDirect(ann.user, "while away 1");
    await bob.sendDirect(ann.user, "while away 2");
    const caughtUp = nextEvent(ann, "message", (m) => m.text === "while away 2", 30_000);
    proxy.accept();
    await caughtUp;
    const texts = annGot.filter((m) => m.room === sent.room).map((m) => m.text);
    assert.deepEqual(texts, ["hi bob", "while away 1", "while away 2"]);
  } finally {
    ann.close();
    bob.close();
    await proxy.close();
  }
});
