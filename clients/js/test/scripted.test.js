// The client against a scripted server (a fake WebSocket): orders of frames a real server only
// produces by chance. Here: live direct messages and changes that overtake a reconnect's catch-up.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ParleyClient } from "../src/parley.js";

/** A WebSocket whose server side is the test: it answers sent calls and pushes notifications. */
class Scripted {
  static sockets = [];
  readyState = 0;
  sent = [];
  #waiters = [];
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;

  constructor() {
    Scripted.sockets.push(this);
    setTimeout(() => {
      this.readyState = 1;
      this.onopen({});
    }, 0);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
    this.#waiters = this.#waiters.filter((w) => !w());
  }

  close() {
    this.readyState = 3;
  }

  /** Resolves with the first sent call of `method` not yet taken. */
  call(method) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} call within 5 s`)), 5_000);
      const look = () => {
        const found = this.sent.find((c) => c.method === method && !c.taken);
        if (found) {
          found.taken = true;
          clearTimeout(timer);
          resolve(found);
        }
        return Boolean(found);
      };
      if (!look()) this.#waiters.push(look);
    });
  }

  reply(call, result) {
    this.onmessage({ data: JSON.stringify({ jsonrpc: "2.0", id: call.id, result }) });
  }

  notify(method, params) {
    this.onmessage({ data: JSON.stringify({ jsonrpc: "2.0", method, params }) });
  }
}

const ROOM = "dm.0123456789abcdef0123456789abcdef";
const hello = { user: "ann", session: "s", protocol: "parley/1.1" };
const dm = (seq) => ({ room: ROOM, seq, from: "bob", to: "ann", text: `m${seq}`, ts: "2026-12-06T10:00:00.000Z" });
const change = (rev, seq) => ({ room: ROOM, rev, seq, kind: "react", user: "bob", ts: "2026-12-06T10:00:00.000Z", emoji: "👍", on: rev % 2 === 1 });

test("after a reconnect, live direct messages and changes wait until the catch-up is out", { timeout: 20_000 }, async () => {
  Scripted.sockets = [];
  const client = new ParleyClient("ws://scripted/ws", { WebSocket: Scripted, random: () => 0, minDelayMs: 1 });
  const seen = [];
  client.addEventListener("message", (e) => seen.push(`m${e.detail.seq}`));
  client.addEventListener("change", (e) => seen.push(`c${e.detail.rev}`));
  try {
    const connected = client.connect();
    let ws = Scripted.sockets[0];
    ws.reply(await ws.call("session.hello"), hello);
    await connected;
    // The first session notes where the conversation stands: seq 5 (dm.list), rev 2 (room.info).
    ws.reply(await ws.call("dm.list"), { conversations: [{ room: ROOM, with: "bob", seq: 5, lastRead: 5 }] });
    const info = await ws.call("room.info");
    assert.deepEqual(info.params, { room: ROOM });
    ws.reply(info, { room: ROOM, seq: 5, rev: 2, members: 0, sessions: 0 });
    ws.notify("chat.message", dm(6)); // live
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(client.positions().get(ROOM), { seq: 6, rev: 2 });

    // Dropped; 7 and 8 and rev 3 come while away; the new session gets 9 and rev 4 live before
    // its dm.list is answered.
    ws.onclose({ code: 1006, reason: "" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    ws = Scripted.sockets[1];
    ws.reply(await ws.call("session.hello"), hello);
    const list = await ws.call("dm.list");
    ws.notify("chat.message", dm(9));
    ws.notify("chat.change", change(4, 9));
    ws.reply(list, { conversations: [{ room: ROOM, with: "bob", seq: 9, lastRead: 5 }] });
    const history = await ws.call("chat.history");
    assert.deepEqual(history.params, { room: ROOM, after: 6, limit: 500 });
    ws.reply(history, { messages: [dm(7), dm(8), dm(9)] });
    const changes = await ws.call("chat.changes");
    assert.deepEqual(changes.params, { room: ROOM, after: 2, limit: 500 });
    ws.reply(changes, { changes: [change(3, 7), change(4, 9)] });
    await new Promise((resolve) => setTimeout(resolve, 10));

    assert.deepEqual(seen, ["m6", "m7", "m8", "m9", "c3", "c4"]);
    assert.deepEqual(client.positions().get(ROOM), { seq: 9, rev: 4 });
  } finally {
    client.close();
  }
});

test("a conversation that begins before the first dm.list answers, and is not in it, starts at rev 0", { timeout: 20_000 }, async () => {
  Scripted.sockets = [];
  const client = new ParleyClient("ws://scripted/ws", { WebSocket: Scripted, random: () => 0, minDelayMs: 1 });
  try {
    const connected = client.connect();
    const ws = Scripted.sockets[0];
    ws.reply(await ws.call("session.hello"), hello);
    await connected;
    const list = await ws.call("dm.list");
    ws.notify("chat.message", dm(1));
    ws.reply(list, { conversations: [] }); // read before the conversation began
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(client.positions().get(ROOM), { seq: 1, rev: 0 });
    assert.equal(ws.sent.some((c) => c.method === "room.info"), false, "nothing to ask");
  } finally {
    client.close();
  }
});
