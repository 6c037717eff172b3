// Contract 1.1 edits, deletions and reactions against a real server: a member whose connection is
// cut while others send, edit, delete and react sees every seq and every rev exactly once, and its
// view (messages with the changes applied) ends equal to chat.history; in a joined room and in a
// direct conversation (no join), and past a join's 1,000 changes (paged with chat.changes).
import assert from "node:assert/strict";
import { test } from "node:test";
import { States, applyChange } from "../src/parley.js";
import { TcpProxy, freshRoom, newClient, nextEvent, serverPort, wsUrl } from "./support.js";

/**
 * What a page would keep: each message by seq, changes applied; and every seq and rev in arrival
 * order. `ofRoom` is the room, or a function giving it (a conversation's room is known only later).
 */
function watch(client, ofRoom) {
  const inRoom = (r) => r === (typeof ofRoom === "function" ? ofRoom() : ofRoom);
  const view = new Map();
  const seqs = [];
  const revs = [];
  const problems = [];
  client.addEventListener("message", (e) => {
    if (!inRoom(e.detail.room)) return;
    seqs.push(e.detail.seq);
    view.set(e.detail.seq, e.detail);
  });
  client.addEventListener("change", (e) => {
    const change = e.detail;
    if (!inRoom(change.room)) return;
    revs.push(change.rev);
    if (!view.has(change.seq)) {
      problems.push(`change rev ${change.rev} came before message ${change.seq}`);
      return;
    }
    view.set(change.seq, applyChange(view.get(change.seq), change));
  });
  return { view, seqs, revs, problems, messages: () => [...view.values()].sort((a, b) => a.seq - b.seq) };
}

/** Resolves once `client` stands at `seq` and `rev` in `room`; rejects after `timeoutMs`. */
async function reaches(client, room, seq, rev, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = client.positions().get(room);
    if (at && at.seq === seq && at.rev === rev) return;
    if (Date.now() > deadline) {
      throw new Error(`${client.user} did not reach seq ${seq} rev ${rev} in ${room} within ${timeoutMs} ms: ${JSON.stringify(at)}`);
    }
    await Promise.race([nextEvent(client, "message", () => true, 200), nextEvent(client, "change", () => true, 200)])
      .catch(() => {}); // look again on the next event, or every 200 ms
  }
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Cuts `client`'s connection at `proxy` and keeps it cut until the returned function is called. */
async function cut(client, proxy) {
  const reconnecting = nextEvent(client, "state", (d) => d.state === States.RECONNECTING);
  proxy.refuse();
  proxy.drop();
  await reconnecting;
  return () => proxy.accept();
}

test("a member cut off while others send, edit, delete and react sees every seq and rev once", { timeout: 90_000 }, async () => {
  const proxy = await TcpProxy.start(serverPort());
  const ann = newClient(wsUrl(proxy.port), { name: "ann" });
  const bob = newClient(wsUrl(), { name: "bob" });
  const cat = newClient(wsUrl(), { name: "cat" });
  try {
    await Promise.all([ann, bob, cat].map((c) => c.connect()));
    const room = freshRoom("changes");
    const seen = watch(ann, room);
    await ann.join(room);
    await bob.join(room);
    await cat.join(room);
    const m = [];
    for (const text of ["one", "two", "three"]) m.push((await bob.send(room, text)).seq);
    const edit1 = await bob.edit(room, m[0], "one, fixed");
    assert.deepEqual(edit1, { room, seq: m[0], rev: 1, changed: true });
    assert.equal((await cat.react(room, m[1], "👍")).rev, 2);
    assert.equal((await bob.edit(room, m[0], "one, fixed")).changed, false, "the same text changes nothing");
    await reaches(ann, room, 3, 2);

    const reopen = await cut(ann, proxy);
    m.push((await bob.send(room, "four")).seq);
    m.push((await cat.send(room, "five")).seq);
    await bob.edit(room, m[3], "four, fixed");
    await bob.deleteMessage(room, m[1]);
    await cat.react(room, m[0], "❤️");
    await bob.react(room, m[0], "❤️");
    await cat.react(room, m[0], "❤️", false);
    await bob.react(room, m[4], "🎉");
    const last = await bob.edit(room, m[0], "one, fixed twice");
    assert.equal(last.rev, 9);
    reopen();
    await reaches(ann, room, 5, 9);
    // and live again after the recovery
    await cat.edit(room, m[4], "five, fixed");
    await reaches(ann, room, 5, 10);

    assert.deepEqual(seen.problems, []);
    assert.deepEqual(seen.seqs, range(1, 5), "each seq once, in order");
    assert.deepEqual(seen.revs, range(1, 10), "each rev once, in order");
    const history = await bob.history(room, { limit: 50 });
    assert.deepEqual(seen.messages(), history, "the view with the changes applied is the server's history");
    assert.equal(history[1].deleted, true);
    assert.deepEqual(history[0].reactions, { "❤️": ["bob"] });
  } finally {
    [ann, bob, cat].forEach((c) => c.close());
    await proxy.close();
  }
});

test("a direct conversation's changes come without a join and are recovered after a reconnect", { timeout: 90_000 }, async () => {
  const proxy = await TcpProxy.start(serverPort());
  const annName = `dann-${process.pid}`;
  const bob = newClient(wsUrl(), { name: `dbob-${process.pid}` });
  const ann = newClient(wsUrl(proxy.port), { name: annName });
  try {
    await bob.connect();
    // The conversation and a change to it exist before ann's client starts: rev 1 is not news to it.
    const first = await bob.sendDirect(annName, "before you came");
    const room = first.room;
    assert.equal((await bob.react(room, first.seq, "👋")).rev, 1);

    const seen = watch(ann, room);
    await ann.connect();
    await reaches(ann, room, 1, 1); // dm.list and room.info said where the conversation stands
    (await ann.history(room)).forEach((message) => seen.view.set(message.seq, message));

    const second = await ann.sendDirect(bob.user, "hello bob");
    await bob.edit(room, first.seq, "before you came, edited");
    await reaches(ann, room, 2, 2);

    const reopen = await cut(ann, proxy);
    const third = await bob.sendDirect(annName, "while you were away");
    await bob.react(room, second.seq, "👍");
    await bob.react(room, first.seq, "👋", false);
    await bob.deleteMessage(room, third.seq);
    const fourth = await bob.sendDirect(annName, "still away");
    await bob.react(room, fourth.seq, "🙂");
    reopen();
    await reaches(ann, room, 4, 6);

    assert.deepEqual(seen.problems, []);
    assert.deepEqual(seen.seqs, [2, 3, 4], "each seq once, in order (1 came from history)");
    assert.deepEqual(seen.revs, range(2, 6), "each rev once, in order (1 was there before)");
    const history = await bob.history(room, { limit: 50 });
    const strip = (messages) => messages.map(({ to, ...rest }) => rest); // history does not say `to`
    assert.deepEqual(strip(seen.messages()), strip(history), "the view is the server's history");
    assert.equal(history[2].deleted, true);
  } finally {
    ann.close();
    bob.close();
    await proxy.close();
  }
});

test("more changes while away than a join carries are paged on with chat.changes", { timeout: 120_000 }, async () => {
  const proxy = await TcpProxy.start(serverPort());
  const ann = newClient(wsUrl(proxy.port), { name: "pann" });
  const bob = newClient(wsUrl(), { name: "pbob" });
  try {
    await Promise.all([ann.connect(), bob.connect()]);
    const room = freshRoom("many-changes");
    const seen = watch(ann, room);
    await ann.join(room);
    await bob.join(room);
    const target = (await bob.send(room, "react to me")).seq;
    await reaches(ann, room, 1, 0);

    const reopen = await cut(ann, proxy);
    const toggles = 1_100; // a join carries at most 1,000 changes
    for (let n = 0; n < toggles; n++) {
      await bob.react(room, target, "🔁", n % 2 === 0); // on, off, on, ...: every call is a change
    }
    await bob.send(room, "after the storm");
    reopen();
    await reaches(ann, room, 2, toggles, 60_000);

    assert.deepEqual(seen.problems, []);
    assert.deepEqual(seen.seqs, [1, 2]);
    assert.deepEqual(seen.revs, range(1, toggles), "each rev once, in order");
    assert.deepEqual(seen.messages(), await bob.history(room, { limit: 50 }));
  } finally {
    ann.close();
    bob.close();
    await proxy.close();
  }
});

test("joining and leaving a direct conversation's room goes on where its events stood", { timeout: 60_000 }, async () => {
  const proxy = await TcpProxy.start(serverPort());
  const ann = newClient(wsUrl(proxy.port), { name: `jann-${process.pid}` });
  const bob = newClient(wsUrl(), { name: `jbob-${process.pid}` });
  try {
    await Promise.all([ann.connect(), bob.connect()]);
    const events = []; // every message and change event: the room is known only after the first send
    ann.addEventListener("message", (e) => events.push(["m", e.detail.room, e.detail.seq]));
    ann.addEventListener("change", (e) => events.push(["c", e.detail.room, e.detail.rev]));
    const first = await bob.sendDirect(ann.user, "one");
    const room = first.room;
    await reaches(ann, room, 1, 0);
    await ann.join(room);
    await bob.sendDirect(ann.user, "two");
    await reaches(ann, room, 2, 0);
    await ann.leave(room);

    const reopen = await cut(ann, proxy);
    await bob.sendDirect(ann.user, "three");
    await bob.sendDirect(ann.user, "four");
    await bob.react(room, first.seq, "👍");
    reopen();
    await reaches(ann, room, 4, 1);
    const of = (kind) => events.filter(([k, r]) => k === kind && r === room).map(([, , n]) => n);
    assert.deepEqual(of("m"), [1, 2, 3, 4], "each seq once, joined or not");
    assert.deepEqual(of("c"), [1]);
  } finally {
    ann.close();
    bob.close();
    await proxy.close();
  }
});

