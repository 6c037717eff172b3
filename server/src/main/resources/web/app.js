// The chat page: a name and room form, then the room and your direct conversations in a side list
// (with unread counts), the shown conversation's messages in their current state (edits, deletions,
// reactions), members, a composer, "typing" and the connection state. All the protocol work is in
// /js/parley.js; this file only keeps what is shown and draws it (one message: messageview.js).
// User data reaches the page through textContent, never as markup.
import { ParleyClient, RpcError, States, Transports, applyChange, newClientId } from "/js/parley.js";
import { messageItem, updateItem } from "/messageview.js";

const HISTORY = 50;
const $ = (id) => document.getElementById(id);

const ui = {
  status: $("status"),
  transport: $("transport"),
  joinForm: $("join-form"),
  name: $("name"),
  room: $("room"),
  joinError: $("join-error"),
  chat: $("chat"),
  roomPrefix: $("room-prefix"),
  roomName: $("room-name"),
  leave: $("leave"),
  conversations: $("conversation-list"),
  dmForm: $("dm-form"),
  dmTo: $("dm-to"),
  messages: $("messages"),
  members: $("members"),
  memberCount: $("member-count"),
  sendForm: $("send-form"),
  text: $("text"),
  send: $("send"),
  sendError: $("send-error"),
  typing: $("typing"),
};

/** How long "typing" shows after a member's last typing notice, and how often this page sends one. */
const TYPING_SHOWN_MS = 5_000;
const TYPING_EVERY_MS = 2_000;
/** How long the page lets messages settle in view before it moves the read position. */
const READ_AFTER_MS = 300;
/** How much of a message, or of the list's height for a message taller than it, must be in view to count as read. */
const READ_SHARE = 0.6;
/** When the observer looks again: every tenth of a message's height (a tall message never shows 60 % of itself). */
const READ_STEPS = Array.from({ length: 11 }, (_, i) => i / 10);

let client = null;
/**
 * Every conversation in the side list, by room: the joined room and the direct ones.
 * {room, with (a direct one's other user, else null), seq, lastRead, messages: Map<seq, Message>,
 *  loaded (its history is drawn), joined, members: Set, typists: Map<user, timer>}
 */
const conversations = new Map();
let home = null; // the room joined from the form
let current = null; // the conversation shown: a room, or {draft: user} before a first direct message
const shown = new Map(); // seq -> <li> of the shown conversation, in seq order
let countdown = null;
let unsent = null; // {text, clientId, to} of a send that failed without an answer: a retry reuses the id
let typedAt = 0; // when this page last told the shown conversation it is typing
let readTimer = null;
const inView = new Set(); // seqs of the shown conversation's messages now in view
const observer = new IntersectionObserver(sawMessages, { root: ui.messages, threshold: READ_STEPS });

// --- joining and leaving ----------------------------------------------------------------------

ui.name.value = remembered("parley.name") || "";
ui.room.value = remembered("parley.room") || ui.room.value;

ui.joinForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  ui.joinError.textContent = "";
  const name = ui.name.value.trim();
  const wanted = ui.room.value.trim();
  remember("parley.name", name);
  remember("parley.room", wanted);
  ui.joinForm.querySelector("button").disabled = true;
  try {
    await enter(name, wanted);
  } catch (e) {
    ui.joinError.textContent = e.message;
    stop();
  } finally {
    ui.joinForm.querySelector("button").disabled = false;
  }
});

ui.leave.addEventListener("click", () => {
  stop();
  ui.chat.hidden = true;
  ui.joinForm.hidden = false;
  ui.name.focus();
});

async function enter(name, wanted) {
  stop();
  // ?transport=sse uses Server-Sent Events from the start; by default the client moves to them by
  // itself when the network drops WebSocket upgrades.
  const forced = new URLSearchParams(location.search).get("transport");
  const transports = forced === Transports.SSE ? [Transports.SSE] : undefined;
  client = new ParleyClient(ParleyClient.defaultUrl(), transports ? { name, transports } : { name });
  client.addEventListener("state", (e) => showState(e.detail));
  client.addEventListener("message", (e) => onMessage(e.detail));
  client.addEventListener("change", (e) => onChange(e.detail));
  client.addEventListener("joined", (e) => memberChange(e.detail.room, e.detail.user, true));
  client.addEventListener("left", (e) => memberChange(e.detail.room, e.detail.user, false));
  client.addEventListener("broadcast", (e) => addNotice(`${e.detail.from} (to everyone): ${e.detail.text}`));
  client.addEventListener("rejoined", (e) => rejoined(e.detail));
  client.addEventListener("typing", (e) => typingFrom(e.detail.room, e.detail.user));
  client.addEventListener("read", (e) => readBy(e.detail));
  client.addEventListener("error", (e) => addNotice(`error: ${e.detail.error.message}`));
  await client.connect();
  home = wanted;
  const joined = await client.join(home);
  const conv = conversation(home, null);
  conv.joined = true;
  takeJoin(conv, joined);
  loadConversations().catch(() => {}); // a 1.0 server has no dm.list: just the room then
  await show(home);
  ui.joinForm.hidden = true;
  ui.chat.hidden = false;
  ui.text.focus();
}

function stop() {
  if (client) {
    client.close();
    client = null;
  }
  for (const conv of conversations.values()) {
    conv.typists.forEach((timer) => clearTimeout(timer));
  }
  conversations.clear();
  home = null;
  clearShown();
  current = null;
  drawConversations();
}

/** The direct conversations of dm.list, with where each was read to. */
async function loadConversations() {
  for (const c of await client.conversations({ limit: 100 })) {
    const conv = conversation(c.room, c.with);
    conv.seq = Math.max(conv.seq, c.seq);
    conv.lastRead = Math.max(conv.lastRead, c.lastRead);
  }
  drawConversations();
}

function conversation(room, withUser) {
  let conv = conversations.get(room);
  if (!conv) {
    conv = { room, with: withUser, seq: 0, lastRead: 0, active: 0, messages: new Map(), loaded: false,
      joined: false, joining: null, members: new Set(), typists: new Map(), seenTo: 0 };
    conversations.set(room, conv);
  }
  return conv;
}

function takeJoin(conv, result) {
  conv.seq = Math.max(conv.seq, result.seq);
  conv.lastRead = Math.max(conv.lastRead, result.lastRead ?? 0);
  conv.members = new Set(result.members);
}

function rejoined(result) {
  const conv = conversations.get(result.room);
  if (!conv) return;
  takeJoin(conv, result);
  if (conv === conversations.get(current)) {
    drawMembers();
  }
  drawConversations();
}

// --- the shown conversation -------------------------------------------------------------------

/** Shows a conversation: joins a direct one (for typing and read positions) and draws its history. */
async function show(room) {
  const conv = conversations.get(room);
  clearShown();
  current = room;
  ui.roomPrefix.textContent = conv.with ? "@" : "#";
  ui.roomName.textContent = conv.with ?? room;
  drawConversations();
  if (!conv.joined) {
    conv.joining ??= client.join(room).then((result) => {
      conv.joined = true;
      takeJoin(conv, result);
    }).finally(() => { conv.joining = null; });
    await conv.joining;
  }
  if (!conv.loaded) {
    const history = await client.history(room, { limit: HISTORY });
    conv.loaded = true;
    for (const message of history) {
      // A message already here came as an event and has every change since applied: keep it.
      if (!conv.messages.has(message.seq)) conv.messages.set(message.seq, message);
      conv.seq = Math.max(conv.seq, message.seq);
    }
  }
  if (current !== room) return; // another conversation was picked meanwhile
  [...conv.messages.values()].sort((a, b) => a.seq - b.seq).forEach(draw);
  drawMembers();
  showTypists();
  const last = ui.messages.lastElementChild;
  if (last) last.scrollIntoView({ block: "end" });
}

/** A conversation with `user` that has no message yet: the first one sent names its room. */
function showDraft(user) {
  const existing = [...conversations.values()].find((c) => c.with === user);
  if (existing) {
    show(existing.room).catch((e) => addNotice(`error: ${e.message}`));
    return;
  }
  clearShown();
  current = { draft: user };
  ui.roomPrefix.textContent = "@";
  ui.roomName.textContent = user;
  drawConversations();
  drawMembers();
  addNotice(`Write the first message to ${user}.`);
}

ui.dmForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const user = ui.dmTo.value.trim();
  if (!client || !user) return;
  ui.dmTo.value = "";
  if (user === client.user) {
    addNotice("That is you.");
    return;
  }
  showDraft(user);
  ui.text.focus();
});

/** Empties the message list; what was in view of the conversation shown until now is read. */
function clearShown() {
  markRead();
  observer.disconnect();
  inView.clear();
  shown.clear();
  ui.messages.replaceChildren();
  ui.typing.textContent = "";
}

function onMessage(message) {
  let conv = conversations.get(message.room);
  if (!conv) {
    if (typeof message.to !== "string") return;
    conv = conversation(message.room, message.from === client.user ? message.to : message.from);
  }
  conv.messages.set(message.seq, message);
  conv.seq = Math.max(conv.seq, message.seq);
  conv.active = Math.max(conv.active, Date.parse(message.ts) || 0);
  stoppedTyping(conv, message.from);
  if (current && typeof current === "object" && current.draft === conv.with) {
    show(conv.room).catch((e) => addNotice(`error: ${e.message}`)); // the draft's first message named the room
  } else if (current === message.room && conv.loaded) {
    draw(message);
  }
  drawConversations();
}

function onChange(change) {
  const conv = conversations.get(change.room);
  const before = conv?.messages.get(change.seq);
  if (!before) return; // not loaded: its history will show the current state
  const after = applyChange(before, change);
  conv.messages.set(change.seq, after);
  const li = current === change.room ? shown.get(change.seq) : undefined;
  if (li) updateItem(li, after);
}

function draw(message) {
  const existing = shown.get(message.seq);
  if (existing) {
    updateItem(existing, message);
    markSeen(existing);
    return;
  }
  const room = message.room;
  const li = messageItem(message, {
    me: client.user,
    edit: (seq, text) => client.edit(room, seq, text),
    remove: (seq) => client.deleteMessage(room, seq),
    react: (seq, emoji, on) => client.react(room, seq, emoji, on),
  });
  const stick = isAtBottom();
  const after = [...shown.keys()].filter((seq) => seq > message.seq).sort((a, b) => a - b)[0];
  ui.messages.insertBefore(li, after === undefined ? null : shown.get(after));
  shown.set(message.seq, li);
  markSeen(li);
  observer.observe(li);
  if (stick) li.scrollIntoView({ block: "end" });
}

// --- read positions (contract 1.1): what scrolled into view is read ------------------------------

function sawMessages(entries) {
  for (const entry of entries) {
    const seq = Number(entry.target.dataset.seq);
    const fillsView = entry.rootBounds !== null && entry.intersectionRect.height >= READ_SHARE * entry.rootBounds.height;
    if (entry.isIntersecting && (entry.intersectionRatio >= READ_SHARE || fillsView)) inView.add(seq);
    else inView.delete(seq);
  }
  markReadSoon();
}

document.addEventListener("visibilitychange", markReadSoon);

/** Moves the read position up to the newest message in view, once things settle, while the page is seen. */
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(markRead, READ_AFTER_MS);
}

/** Moves the shown conversation's read position up to the newest message in view, now. */
function markRead() {
  clearTimeout(readTimer);
  const conv = conversations.get(current);
  const newest = Math.max(0, ...inView);
  if (!client || !conv || !conv.joined || newest <= conv.lastRead || document.visibilityState !== "visible") return;
  client.markRead(conv.room, newest).then((position) => {
    conv.lastRead = Math.max(conv.lastRead, position);
    drawConversations();
  }, () => {}); // a position is a courtesy: losing one loses nothing
}

/** In a direct conversation, the other user's read position (room.read events): your messages up to it are "seen". */
function readBy({ room, user, seq }) {
  const conv = conversations.get(room);
  if (!conv || conv.with !== user || seq <= conv.seenTo) return;
  conv.seenTo = seq;
  if (current === room) shown.forEach(markSeen);
}

function markSeen(li) {
  const conv = conversations.get(current);
  const message = li.parleyMessage;
  const seen = Boolean(conv && conv.with && message.from === client.user && message.seq <= conv.seenTo);
  let mark = li.querySelector(".seen");
  if (seen && !mark) {
    mark = document.createElement("span");
    mark.className = "seen";
    mark.textContent = "seen";
    li.querySelector(".head").append(mark);
  }
  if (mark) mark.hidden = !seen;
}

// --- the side list ----------------------------------------------------------------------------

function unread(conv) {
  let count = Math.max(0, conv.seq - conv.lastRead);
  for (const [seq, message] of conv.messages) {
    if (seq > conv.lastRead && message.from === client?.user) count--; // your own
  }
  return Math.max(0, count);
}

function drawConversations() {
  // The room first, then the direct conversations, the latest active first (dm.list's order until then).
  const list = [...conversations.values()].sort((a, b) => (a.room === home ? -1 : b.room === home ? 1 : b.active - a.active));
  const items = list.map((conv) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "conversation";
    button.dataset.room = conv.room;
    if (conv.with) button.dataset.with = conv.with;
    if (current === conv.room) button.setAttribute("aria-current", "true");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = conv.with ? `@${conv.with}` : `#${conv.room}`;
    const count = unread(conv);
    const badge = document.createElement("span");
    badge.className = "unread";
    badge.hidden = count === 0 || current === conv.room;
    badge.textContent = String(count);
    badge.title = `${count} unread`;
    button.append(name, badge);
    button.addEventListener("click", () => show(conv.room).catch((e) => addNotice(`error: ${e.message}`)));
    li.append(button);
    return li;
  });
  ui.conversations.replaceChildren(...items);
}

// --- typing (contract 1.1) --------------------------------------------------------------------

ui.text.addEventListener("input", () => {
  const conv = conversations.get(current);
  if (!client || !conv || !conv.joined || ui.text.value === "" || Date.now() - typedAt < TYPING_EVERY_MS) return;
  typedAt = Date.now();
  client.typing(conv.room);
});

function typingFrom(room, user) {
  const conv = conversations.get(room);
  if (!conv) return;
  clearTimeout(conv.typists.get(user));
  conv.typists.set(user, setTimeout(() => stoppedTyping(conv, user), TYPING_SHOWN_MS));
  if (current === room) showTypists();
}

function stoppedTyping(conv, user) {
  if (!conv.typists.has(user)) return;
  clearTimeout(conv.typists.get(user));
  conv.typists.delete(user);
  if (current === conv.room) showTypists();
}

function showTypists() {
  const conv = conversations.get(current);
  const names = conv ? [...conv.typists.keys()].sort() : [];
  ui.typing.textContent = names.length === 0 ? ""
    : names.length === 1 ? `${names[0]} is typing…`
      : names.length <= 3 ? `${names.join(", ")} are typing…` : "several people are typing…";
}

function addNotice(text) {
  const li = document.createElement("li");
  li.className = "notice";
  li.textContent = text;
  ui.messages.append(li);
}

function isAtBottom() {
  const list = ui.messages;
  return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
}

// --- sending ----------------------------------------------------------------------------------

ui.sendForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = ui.text.value;
  if (!text.trim() || !client || !current) return;
  const conv = conversations.get(current);
  const to = conv ? conv.with : current.draft;
  ui.sendError.textContent = "";
  ui.send.disabled = true;
  if (!unsent || unsent.text !== text || unsent.to !== to) {
    unsent = { text, clientId: newClientId(), to };
  }
  try {
    const message = to
      ? await client.sendDirect(to, text, { clientId: unsent.clientId })
      : await client.send(conv.room, text, { clientId: unsent.clientId });
    unsent = null;
    typedAt = 0; // the message ends this typing; the next keystroke starts another
    onMessage(message);
    ui.text.value = "";
  } catch (e) {
    if (e instanceof RpcError) {
      unsent = null; // refused: a retry is a new message
      ui.sendError.textContent = `Not sent: ${e.message}`;
    } else {
      ui.sendError.textContent = `Maybe not sent (${e.message}); press Send again to retry safely.`;
    }
  } finally {
    ui.send.disabled = client === null || client.state !== States.OPEN;
    ui.text.focus();
  }
});

// --- members ----------------------------------------------------------------------------------

function memberChange(room, user, present) {
  const conv = conversations.get(room);
  if (!conv) return;
  if (present) conv.members.add(user);
  else conv.members.delete(user);
  if (current === room) drawMembers();
  // One user may have several sessions: the server's list is the truth.
  client.members(room).then((list) => {
    conv.members = new Set(list);
    if (current === room) drawMembers();
  }, () => {});
}

function drawMembers() {
  const conv = conversations.get(current);
  const members = conv ? conv.members : new Set();
  const items = [...members].sort((a, b) => a.localeCompare(b)).map((user) => {
    const li = document.createElement("li");
    li.textContent = user;
    if (client && user === client.user) li.className = "me";
    return li;
  });
  ui.members.replaceChildren(...items);
  ui.memberCount.textContent = String(members.size);
}

// --- connection state -------------------------------------------------------------------------

function showState(detail) {
  clearInterval(countdown);
  ui.status.dataset.state = detail.state;
  ui.send.disabled = detail.state !== States.OPEN;
  switch (detail.state) {
    case States.CONNECTING:
      ui.status.textContent = "connecting…";
      break;
    case States.OPEN:
      ui.status.textContent = `connected as ${detail.user}`;
      showTransport(detail.transport);
      break;
    case States.RECONNECTING:
      if (detail.at) {
        const tick = () => {
          const seconds = Math.max(0, Math.ceil((detail.at - Date.now()) / 1000));
          ui.status.textContent = seconds > 0 ? `reconnecting in ${seconds} s` : "reconnecting…";
        };
        tick();
        countdown = setInterval(tick, 1000);
      } else {
        ui.status.textContent = "reconnecting…";
      }
      break;
    case States.CLOSED:
      ui.status.textContent = detail.code === 1000 ? "not connected" : `closed: ${detail.reason || detail.code}`;
      break;
    default:
      ui.status.textContent = "not connected";
  }
}

function showTransport(transport) {
  ui.transport.hidden = false;
  ui.transport.dataset.transport = transport;
  ui.transport.textContent = transport === Transports.SSE ? "SSE" : "WebSocket";
}

// --- small helpers ----------------------------------------------------------------------------

function remembered(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode or storage off: the form just starts empty next time
  }
}
