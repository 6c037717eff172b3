// Direct conversations' lanes on their own (no server): where dm.list's answer meets live messages.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DirectConversations, RoomLane } from "../src/chatlayer.js";

const ROOM = "dm.0123456789abcdef0123456789abcdef";

/** A DirectConversations over a scripted client; `emitted` collects the messages its lanes emit. */
function conversations(answers) {
  const emitted = [];
  const pages = [];
  const client = {
    user: "ann",
    call: async (method) => {
      assert.equal(method, "dm.list");
      return { conversations: answers.shift() };
    },
    info: async () => ({ rev: 0 }),
    historyPage: async (room, { after }) => {
      pages.push(after);
      return { messages: [4, 5].filter((seq) => seq > after).map((seq) => ({ room, seq, from: "bob" })) };
    },
    changesPage: async () => ({ changes: [], truncated: false }),
  };
  const newLane = (marks) => new RoomLane((m) => emitted.push(m.seq), () => {}, marks);
  return { direct: new DirectConversations(client, newLane, () => false), emitted, pages };
}

test("a message dm.list already counted but still on its way is delivered, once", async () => {
  // The store read of dm.list can overtake the delivery of the message it reads.
  const { direct, emitted } = conversations([[{ room: ROOM, seq: 1, with: "bob" }]]);
  await direct.sync(direct.begin());
  assert.equal(direct.get(ROOM).resumeSeq, 1, "a later catch-up starts after what the list counted");

  direct.lane(ROOM).offerMessage({ room: ROOM, seq: 1 });
  direct.lane(ROOM).offerMessage({ room: ROOM, seq: 1 });
  direct.lane(ROOM).offerMessage({ room: ROOM, seq: 2 });
  assert.deepEqual(emitted, [1, 2]);
});

test("a reconnect catches up after dm.list's seq, not from the conversation's start", async () => {
  const { direct, emitted, pages } = conversations([[{ room: ROOM, seq: 3, with: "bob" }], [{ room: ROOM, seq: 5, with: "bob" }]]);
  await direct.sync(direct.begin());
  direct.reset();
  await direct.sync(direct.begin());
  assert.deepEqual(pages, [3], "history after the listed seq");
  assert.deepEqual(emitted, [4, 5]);
  assert.equal(direct.get(ROOM).lastSeq, 5);
});
