// The chat page: a name and room form, then the room's recent history, live messages, members,
// a composer and the connection state. All the protocol work is in /js/parley.js; this file only
// draws. User data reaches the page through textContent, never as markup.
import { ParleyClient, RpcError, States, Transports, newClientId } from "/js/parley.js";

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
  roomName: $("room-name"),
  leave: $("leave"),
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
/** How long the page waits after the newest shown message before it marks the room read. */
const READ_AFTER_MS = 1_000;

let client = null;
let room = null;
let members = new Set();
const shown = new Map(); // seq -> <li>, so a message is drawn once and in seq order
let countdown = null;
let unsent = null; // {text, clientId} of a send that failed without an answer: a retry reuses the id
const typists = new Map(); // user -> timer that clears their "typing" line
let typedAt = 0; // when this page last told the room it is typing
let readTimer = null;

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
  // ?transport=sse uses Server-Sent Events from the start; by default the client moves to them by
  // itself when the network drops WebSocket upgrades.
  const forced = new URLSearchParams(location.search).get("transport");
  const transports = forced === Transports.SSE ? [Transports.SSE] : undefined;
  client = new ParleyClient(ParleyClient.defaultUrl(), transports ? { name, transports } : { name });
  client.addEventListener("state", (e) => showState(e.detail));
  client.addEventListener("message", (e) => addMessage(e.detail));
  client.addEventListener("joined", (e) => e.detail.room === room && memberChange(e.detail.user, true));
  client.addEventListener("left", (e) => e.detail.room === room && memberChange(e.detail.user, false));
  client.addEventListener("broadcast", (e) => addNotice(`${e.detail.from} (to everyone): ${e.detail.text}`));
  client.addEventListener("rejoined", (e) => rejoined(e.detail));
  client.addEventListener("typing", (e) => e.detail.room === room && typingFrom(e.detail.user));
  client.addEventListener("error", (e) => addNotice(`error: ${e.detail.error.message}`));
  await client.connect();
  room = wanted;
  clearRoom();
  const joined = await client.join(room);
  setMembers(joined.members);
  await loadHistory();
  ui.roomName.textContent = room;
  ui.joinForm.hidden = true;
  ui.chat.hidden = false;
  ui.text.focus();
}

function stop() {
  if (client) {
    client.close();
    client = null;
  }
  room = null;
}

async function loadHistory() {
  const messages = await client.history(room, { limit: HISTORY });
  messages.forEach(addMessage);
}

function rejoined(result) {
  if (result.room !== room) return;
  setMembers(result.members);
  if (shown.size === 0) {
    loadHistory().catch((e) => addNotice(`history: ${e.message}`));
  }
}

// --- messages ---------------------------------------------------------------------------------

function clearRoom() {
  shown.clear();
  typists.forEach((timer) => clearTimeout(timer));
  typists.clear();
  showTypists();
  ui.messages.replaceChildren();
  setMembers([]);
}

function addMessage(message) {
  if (message.room !== room || shown.has(message.seq)) return;
  const li = document.createElement("li");
  li.className = message.from === client.user ? "message mine" : "message";
  li.dataset.seq = String(message.seq);
  const from = document.createElement("span");
  from.className = "from";
  from.textContent = message.from;
  const time = document.createElement("time");
  time.dateTime = message.ts;
  time.textContent = new Date(message.ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = message.text;
  li.append(from, time, text);
  const stick = isAtBottom();
  const after = [...shown.keys()].filter((seq) => seq > message.seq).sort((a, b) => a - b)[0];
  ui.messages.insertBefore(li, after === undefined ? null : shown.get(after));
  shown.set(message.seq, li);
  if (stick) li.scrollIntoView({ block: "end" });
  stoppedTyping(message.from);
  markReadSoon();
}

// --- typing and read positions (contract 1.1) ---------------------------------------------------

ui.text.addEventListener("input", () => {
  if (!client || !room || ui.text.value === "" || Date.now() - typedAt < TYPING_EVERY_MS) return;
  typedAt = Date.now();
  client.typing(room);
});

function typingFrom(user) {
  clearTimeout(typists.get(user));
  typists.set(user, setTimeout(() => stoppedTyping(user), TYPING_SHOWN_MS));
  showTypists();
}

function stoppedTyping(user) {
  if (!typists.has(user)) return;
  clearTimeout(typists.get(user));
  typists.delete(user);
  showTypists();
}

function showTypists() {
  const names = [...typists.keys()].sort();
  ui.typing.textContent = names.length === 0 ? ""
    : names.length === 1 ? `${names[0]} is typing…`
      : names.length <= 3 ? `${names.join(", ")} are typing…` : "several people are typing…";
}

/** Marks the room read up to the newest shown message, once things settle, while the page is seen. */
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    const newest = Math.max(0, ...shown.keys());
    if (client && room && newest > 0 && document.visibilityState === "visible") {
      client.markRead(room, newest).catch(() => {}); // a position is a courtesy: losing one loses nothing
    }
  }, READ_AFTER_MS);
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

ui.sendForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = ui.text.value;
  if (!text.trim() || !client) return;
  ui.sendError.textContent = "";
  ui.send.disabled = true;
  if (!unsent || unsent.text !== text) {
    unsent = { text, clientId: newClientId() };
  }
  try {
    const message = await client.send(room, text, { clientId: unsent.clientId });
    unsent = null;
    addMessage(message);
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

function setMembers(list) {
  members = new Set(list);
  drawMembers();
}

function memberChange(user, present) {
  if (present) members.add(user);
  else members.delete(user);
  drawMembers();
  // One user may have several sessions: the server's list is the truth.
  client.members(room).then(setMembers, () => {});
}

function drawMembers() {
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
