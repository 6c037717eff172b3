// Contract 1.1 as far as the server serves it: typing, read positions and room info, against a real server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { freshRoom, newClient, nextEvent, wsUrl } from "./support.js";

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
