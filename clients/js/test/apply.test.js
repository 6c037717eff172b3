// applyChange and the per-room ordering of chatlayer.js, without a server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RoomLane, applyChange } from "../src/chatlayer.js";

const message = { room: "r", seq: 3, from: "ann", text: "hi", ts: "2026-12-06T10:00:00.000Z" };
const change = (rev, kind, extra) => ({ room: "r", rev, seq: 3, kind, user: "bob", ts: `2026-12-06T10:00:0${rev}.000Z`, ...extra });

test("applyChange sets text, deletes, and adds or removes one reaction; twice is once", () => {
  const edited = applyChange(message, change(1, "edit", { text: "hello" }));
  assert.deepEqual(edited, { ...message, text: "hello", edited: "2026-12-06T10:00:01.000Z" });
  assert.equal(message.text, "hi", "the given message is left alone");
  const liked = applyChange(applyChange(edited, change(2, "react", { emoji: "👍", on: true })), change(2, "react", { emoji: "👍", on: true }));
  assert.deepEqual(liked.reactions, { "👍": ["bob"] });
  const both = applyChange(liked, { ...change(3, "react", { emoji: "👍", on: true }), user: "cat" });
  assert.deepEqual(both.reactions, { "👍": ["bob", "cat"] });
  const unliked = applyChange(applyChange(both, change(4, "react", { emoji: "👍", on: false })), { ...change(5, "react", { emoji: "👍", on: false }), user: "cat" });
  assert.equal("reactions" in unliked, false, "no reactions left: no member");
  const deleted = applyChange(both, change(6, "delete"));
  assert.deepEqual(deleted, { ...message, text: "", edited: "2026-12-06T10:00:01.000Z", deleted: true });
  assert.equal(applyChange(message, { ...change(7, "edit", { text: "x" }), seq: 4 }), message, "another message's change");
});

test("a lane delivers each seq and rev once, and while recovering the buffered messages before the changes", () => {
  const out = [];
  const lane = new RoomLane((m) => out.push(`m${m.seq}`), (c) => out.push(`c${c.rev}`), { lastSeq: 2, lastRev: 1 });
  lane.offerMessage({ seq: 2 });
  lane.offerChange({ rev: 1 });
  const token = lane.begin();
  lane.offerChange({ rev: 4 });
  lane.offerMessage({ seq: 5 });
  lane.offerChange({ rev: 3 });
  lane.deliverMessage({ seq: 3 });
  lane.deliverMessage({ seq: 4 });
  lane.deliverChange({ rev: 2 });
  lane.deliverChange({ rev: 3 });
  lane.end(token);
  lane.offerMessage({ seq: 5 });
  lane.offerChange({ rev: 4 });
  assert.deepEqual(out, ["m3", "m4", "c2", "c3", "m5", "c4"]);
});

test("a dropped recovery's buffer is void, and a soft base rev does not hide a live change", () => {
  const out = [];
  const lane = new RoomLane((m) => out.push(`m${m.seq}`), (c) => out.push(`c${c.rev}`));
  lane.baseRev = 5;
  lane.offerChange({ rev: 5 }); // in flight when room.info answered 5: still news
  assert.equal(lane.recoverAfter, 5);
  const token = lane.begin();
  lane.offerMessage({ seq: 1 });
  lane.reset();
  lane.end(token);
  assert.deepEqual(out, ["c5"]);
});
