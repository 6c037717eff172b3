// Parley browser client: JSON-RPC 2.0 over WebSocket, as an ES module with no dependencies.
//
//   import { ParleyClient } from "/js/parley.js";
//   const client = new ParleyClient(ParleyClient.defaultUrl(), { name: "alice" });
//   client.addEventListener("message", (e) => console.log(e.detail.from, e.detail.text));
//   await client.connect();
//   await client.join("lobby");
//   await client.send("lobby", "hi");
//
// What it does for you: calls return promises (matched by id, with a timeout); server
// notifications become DOM events; a dropped connection is retried with full-jitter backoff;
// after a reconnect it says hello again and rejoins every room with `since` = the last seq it
// delivered, so `message` events carry each message once, in seq order per room. Calls made
// while it (re)connects wait for the session, bounded by their timeout. A refused upgrade (401,
// 403) is not retried when the WebSocket implementation shows the status (the `ws` package
// does; a browser does not). See docs/browser.md for the whole API and parley.d.ts for the types.
//
// This file is the npm package @parley/client (clients/js) and, unchanged, the server's
// /js/parley.js: one source, no build step. The contract 1.1 chat layer (the per-room ordering of
// messages and changes, their recovery, applyChange, and the direct conversations followed
// without a join) lives beside it in chatlayer.js, which the server serves as /js/chatlayer.js.

import { DIRECT_PREFIX, DirectConversations, PAGE_MAX, RoomLane, applyChange, recoverChanges } from "./chatlayer.js";

export { applyChange };

/** The protocol's error codes (docs/protocol.md). */
export const ErrorCodes = Object.freeze({
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  UNAUTHORIZED: -32001,
  FORBIDDEN: -32002,
  RATE_LIMITED: -32003,
  TOO_LARGE: -32004,
  UNAVAILABLE: -32005,
  REJECTED: -32006, // contract 1.1: the application's backend refused (error.data.reason)
});

/** The client's connection states, in the order a session goes through them. */
export const States = Object.freeze({
  IDLE: "idle",
  CONNECTING: "connecting",
  OPEN: "open",
  RECONNECTING: "reconnecting",
  CLOSED: "closed",
});

/** The server answered a call with a JSON-RPC error: `code` and `data` are the wire's. */
export class RpcError extends Error {
  constructor(method, error) {
    super(`${method}: ${error.message} (${error.code})`);
    this.name = "RpcError";
    this.code = error.code;
    this.data = error.data;
  }
}

/**
 * The server refused the WebSocket upgrade with an HTTP status that would come again (401 no or
 * a bad token, 403 an origin not allowed, other 4xx but 408 and 429): not retried. Only seen
 * when the WebSocket implementation shows the status (the `ws` package); a browser's does not.
 */
export class RefusedError extends Error {
  constructor(status) {
    super(`connect: the server refused the upgrade with HTTP ${status}`);
    this.name = "RefusedError";
    this.code = "refused";
    this.status = status;
  }
}

/** No answer within the call's timeout. The call may or may not have run. */
export class TimeoutError extends Error {
  constructor(method, ms) {
    super(`${method}: no answer within ${ms} ms`);
    this.name = "TimeoutError";
    this.code = "timeout";
  }
}

/** The connection was not open, or closed before the answer came. The call may or may not have run. */
export class ClosedError extends Error {
  constructor(method, why) {
    super(`${method}: ${why}`);
    this.name = "ClosedError";
    this.code = "closed";
  }
}

// Close codes after which the client reconnects: going away (server restart), abnormal
// (the connection dropped or never opened), server error, service restart, try again later
// (overloaded or too slow to keep up), bad gateway. Anything else (1000 normal, 1008 policy,
// 1009 too big, ...) would fail the same way again, so the client stays closed.
const RECONNECT_CODES = new Set([1001, 1006, 1011, 1012, 1013, 1014]);
// A shutting-down server closes each session with 1001 and its own wait before reconnecting,
// e.g. "server shutting down; retryAfterMs=2345; recover with since" (docs/protocol.md; the Java
// SDK reads it with io.parley.protocol.CloseReasons). Waits are spread so clients return apart.
const GOING_AWAY = 1001;
const RETRY_AFTER_MS = /^\s*retryAfterMs=(\d{1,9})\s*$/;
const MAX_RETRY_AFTER_MS = 60_000;
const MAX_REASON_BYTES = 123;
const HISTORY_PAGE = PAGE_MAX;

// A live session's token is renewed before its `exp` (as the Java SDK does): the time left less
// a lead of half that time, at most 30 s; never sooner than 1 s.
const RENEW_MAX_LEAD_MS = 30_000;
const RENEW_MIN_WAIT_MS = 1_000;

/** The `exp` claim of a JWT in ms since the epoch, read without verifying anything; null if none. */
function tokenExpiry(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const exp = JSON.parse(atob(payload)).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : null;
  } catch (e) {
    return null;
  }
}

/** How long until a session authenticated with `token` should get a new one; null if it has no exp. */
function renewIn(token, now = Date.now()) {
  const exp = typeof token === "string" ? tokenExpiry(token) : null;
  if (exp === null) {
    return null;
  }
  const left = exp - now;
  return Math.max(RENEW_MIN_WAIT_MS, left - Math.min(left / 2, RENEW_MAX_LEAD_MS));
}

/** The transports a client may use, in the order it tries them. */
export const Transports = Object.freeze({ WEBSOCKET: "websocket", SSE: "sse" });
/** Upgrades that fail on the network (the server would have taken them) before the client falls back to SSE. */
const BLOCKED_UPGRADES_BEFORE_SSE = 2;
/** The most calls an event-stream session sends in one POST (below the server's default batch limit). */
const SSE_BATCH_MAX = 50;
/** About the most bytes of calls in one POST: half the server's default body limit. */
const SSE_BATCH_BYTES = 32 * 1024;
/** Calls whose answers can be large go in a POST of their own. */
const ALONE = /"method":"(room\.join|chat\.history|chat\.changes)"/;
/** What the server answers a plain GET /ws when an upgrade from here would be accepted. */
const UPGRADE_REQUIRED = 426;

/** The HTTP base of a Parley WebSocket URL: the same host and port, ws(s) made http(s), without the /ws path. */
function httpBaseOf(wsUrl) {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : url.protocol === "ws:" ? "http:" : url.protocol;
  url.pathname = url.pathname.replace(/\/ws\/?$/, "");
  url.search = "";
  url.hash = "";
  return url.toString().replace(/\/$/, "");
}

/** An HTTP status of a POST /rpc that is not a JSON-RPC answer, as the JSON-RPC error its calls get. */
function httpFailure(status, body) {
  const code = status === 429 ? -32003 : status === 413 ? -32004 : status === 503 ? -32005 : -32603;
  let message = `HTTP ${status}`;
  try {
    message = JSON.parse(body).error.message || message;
  } catch (e) {
    // not the server's JSON error: the status says enough
  }
  return { code, message };
}

/**
 * A session over Server-Sent Events (GET /events for the server's notifications, POST /rpc with
 * the Parley-Session header for calls) behind the face of a WebSocket, so the client drives both
 * transports alike: readyState, send(), close(), onopen, onmessage, onclose. Calls made while a
 * POST is out go together in the next one, as one JSON-RPC batch: the server sees them in the
 * order they were made, as it would on one WebSocket.
 */
class SseLink {
  readyState = 0;
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  #base;
  #fetch;
  #source;
  #session = null;
  #queue = [];
  #posting = false;

  constructor(base, query, { EventSource, fetch }) {
    this.#base = base;
    this.#fetch = fetch;
    const search = new URLSearchParams(query).toString();
    this.#source = new EventSource(`${base}/events${search ? "?" + search : ""}`);
    this.#source.addEventListener("session", (event) => {
      this.#session = JSON.parse(event.data).session;
      this.readyState = 1;
      this.onopen?.({});
    });
    this.#source.onmessage = (event) => {
      if (this.readyState === 1) {
        this.onmessage?.({ data: event.data });
      }
    };
    this.#source.addEventListener("close", (event) => {
      let close = {};
      try {
        close = JSON.parse(event.data);
      } catch (e) {
        // a close without its reason is still a close
      }
      this.#end(typeof close.code === "number" ? close.code : 1006, close.reason || "");
    });
    // EventSource would reconnect by itself, as a new session the client knows nothing of: the
    // client reconnects instead, with its backoff, and recovers its rooms with since.
    this.#source.onerror = () => this.#end(1006, this.readyState === 1 ? "event stream lost" : "event stream failed");
  }

  send(text) {
    this.#queue.push(text);
    this.#pump();
  }

  /**
   * The calls of the next POST: in order, at most SSE_BATCH_MAX and about SSE_BATCH_BYTES, and a
   * call with a large answer (a join's recovery, a history page) alone, since one POST's answers
   * share one reply budget and one body limit on the server.
   */
  #nextBatch() {
    const calls = [];
    let bytes = 0;
    while (this.#queue.length > 0 && calls.length < SSE_BATCH_MAX) {
      const next = this.#queue[0];
      const alone = ALONE.test(next);
      if (calls.length > 0 && (alone || bytes + next.length > SSE_BATCH_BYTES)) {
        break;
      }
      calls.push(this.#queue.shift());
      bytes += next.length;
      if (alone) {
        break;
      }
    }
    return calls;
  }

  close() {
    if (this.readyState !== 3) {
      this.readyState = 3;
      this.#source.close();
      this.#queue = [];
    }
  }

  #end(code, reason) {
    if (this.readyState === 3) {
      return;
    }
    this.close();
    this.onclose?.({ code, reason });
  }

  async #pump() {
    if (this.#posting || this.#queue.length === 0 || this.readyState !== 1) {
      return;
    }
    const calls = this.#nextBatch();
    this.#posting = true;
    try {
      const response = await this.#fetch(`${this.#base}/rpc`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Parley-Session": this.#session },
        body: calls.length === 1 ? calls[0] : `[${calls.join(",")}]`,
        cache: "no-store",
      });
      const body = await response.text();
      if (this.readyState !== 1) {
        return;
      }
      if (response.status === 200) {
        this.onmessage?.({ data: body });
      } else if (response.status === 404) {
        this.#end(1006, "the event-stream session has ended");
      } else if (response.status !== 204) {
        const error = httpFailure(response.status, body);
        const answers = calls.map((c) => JSON.parse(c)).filter((c) => c.id !== undefined)
          .map((c) => ({ jsonrpc: "2.0", id: c.id, error }));
        this.onmessage?.({ data: JSON.stringify(answers) });
      }
    } catch (e) {
      this.#end(1006, "POST /rpc failed");
    } finally {
      this.#posting = false;
    }
    this.#pump();
  }
}

/** An upgrade refused with this HTTP status would be refused again: no retry. */
function isRefusal(status) {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

const DEFAULTS = Object.freeze({
  name: undefined,
  token: undefined,
  callTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  minDelayMs: 500,
  maxDelayMs: 10_000,
  maxAttempts: Infinity,
  getToken: undefined,
  credentials: undefined,
  random: Math.random,
  WebSocket: globalThis.WebSocket,
  transports: [Transports.WEBSOCKET, Transports.SSE],
  httpUrl: undefined,
  EventSource: globalThis.EventSource,
  fetch: globalThis.fetch ? (...args) => globalThis.fetch(...args) : undefined,
});

/** The wait (ms, at most a minute) a 1001 close reason announces, or null: then the backoff decides. */
function announcedWait(reason) {
  if (typeof reason !== "string" || new TextEncoder().encode(reason).length > MAX_REASON_BYTES) {
    return null;
  }
  const values = reason.split(";").filter((f) => f.trim().startsWith("retryAfterMs=")).map((f) => RETRY_AFTER_MS.exec(f));
  return values.length === 1 && values[0] ? Math.min(Number(values[0][1]), MAX_RETRY_AFTER_MS) : null;
}

/**
 * One Parley session that survives reconnects. An EventTarget; events (all CustomEvents, payload
 * in `detail`): `state`, `message`, `change`, `joined`, `left`, `broadcast`, `typing`, `read`,
 * `rejoined`, `transport`, `notification`, `error`.
 */
export class ParleyClient extends EventTarget {
  #url;
  #options;
  #ws = null;
  #state = States.IDLE;
  #attempt = 0;
  #retryTimer = null;
  #nextId = 1;
  #pending = new Map(); // id -> {method, resolve, reject, timer}
  #waiting = new Set(); // calls made while (re)connecting: {method, params, timeoutMs, deadline, resolve, reject, timer}
  #rooms = new Map(); // room -> RoomLane (chatlayer.js): last seq and rev delivered, the buffer while joining
  // Direct conversations followed without a join (contract 1.1), each in its RoomLane.
  #direct = new DirectConversations(this, (marks) => this.#lane(marks), (room) => this.#rooms.has(room));
  #hello = null;
  #ready = null; // {promise, resolve, reject} for connect()
  #closedByUser = false;
  #opening = 0; // counts #open() calls: an attempt still waiting for getToken() knows it is stale
  #token = undefined;
  #credentials = undefined; // what the current attempt's hello sends as credentials (contract 1.1)
  #renewTimer = null; // the next refresh of the live session's token (with getToken and a JWT exp)
  #expired = false; // the server said session.expired: a 1008 close that follows is retried with getToken // the token of the current attempt: options.token, or getToken()'s
  #transport; // the transport of the next attempt and of the open session: one of Transports
  #blockedUpgrades = 0; // upgrades the network dropped although the server would have taken them

  /** The WebSocket URL of the server that served the current page: ws(s)://host/ws. */
  static defaultUrl(location = globalThis.location) {
    return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;
  }

  /**
   * @param {string} url the server's WebSocket URL, e.g. ws://localhost:8080/ws
   * @param {object} [options] name, token, getToken, credentials, callTimeoutMs, connectTimeoutMs, minDelayMs,
   *   maxDelayMs, maxAttempts, random, WebSocket (see parley.d.ts)
   */
  constructor(url, options = {}) {
    super();
    this.#url = url;
    this.#options = { ...DEFAULTS, ...options };
    const transports = this.#options.transports;
    if (!Array.isArray(transports) || transports.length === 0
        || transports.some((t) => t !== Transports.WEBSOCKET && t !== Transports.SSE)) {
      throw new TypeError(`transports: expected a non-empty list of "websocket" and "sse", got ${JSON.stringify(transports)}`);
    }
    this.#transport = transports[0];
    if (this.#options.httpUrl === undefined) {
      this.#options.httpUrl = httpBaseOf(url);
    }
  }

  /** The transport of the open session, or of the next attempt while there is none: "websocket" or "sse". */
  get transport() {
    return this.#transport;
  }

  /** The connection state: one of {@link States}. */
  get state() {
    return this.#state;
  }

  /** The user name the server gave this session (after the first hello), else null. */
  get user() {
    return this.#hello ? this.#hello.user : null;
  }

  /**
   * Opens the session and resolves with the `session.hello` result once it is open. While the
   * server cannot be reached it keeps retrying (state `reconnecting`), at most `maxAttempts`
   * attempts; it rejects (and an `error` event fires) if the server refuses the upgrade
   * (RefusedError, when the status is visible) or the hello (RpcError: a bad name or token), if
   * the attempts run out (ClosedError), or if close() is called first.
   */
  connect() {
    if (this.#ready) {
      return this.#ready.promise;
    }
    this.#closedByUser = false;
    this.#attempt = 0;
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#ready = { promise, resolve, reject };
    this.#open();
    return promise;
  }

  /** Closes the session for good (code 1000): no reconnect; pending calls reject with ClosedError. */
  close() {
    this.#closedByUser = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#renewTimer);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.close(1000, "client closed");
    }
    this.#failPending("the client was closed");
    this.#failWaiting("the client was closed");
    if (this.#ready && this.#state !== States.OPEN) {
      this.#ready.reject(new ClosedError("connect", "the client was closed"));
    }
    this.#ready = null;
    this.#setState(States.CLOSED, { code: 1000, reason: "client closed" });
  }

  /**
   * Sends a request and resolves with its result. While the client connects or reconnects the
   * call waits for the session, and the timeout covers the wait too. Rejects with RpcError (an
   * error reply), TimeoutError (no answer in time) or ClosedError (never connected, closed for
   * good, or the connection closed after the call was sent).
   */
  call(method, params, { timeoutMs = this.#options.callTimeoutMs } = {}) {
    const ws = this.#ws;
    if (this.#state === States.OPEN && ws && ws.readyState === 1) {
      return this.#request(ws, method, params, timeoutMs);
    }
    if (this.#state !== States.CONNECTING && this.#state !== States.RECONNECTING) {
      return Promise.reject(new ClosedError(method, `not connected (${this.#state})`));
    }
    return new Promise((resolve, reject) => {
      const waiter = { method, params, timeoutMs, deadline: Date.now() + timeoutMs, resolve, reject, timer: null };
      waiter.timer = setTimeout(() => {
        this.#waiting.delete(waiter);
        reject(new TimeoutError(method, timeoutMs));
      }, timeoutMs);
      this.#waiting.add(waiter);
    });
  }

  #request(ws, method, params, waitMs, timeoutMs = waitMs) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new TimeoutError(method, timeoutMs));
      }, waitMs);
      this.#pending.set(id, { method, resolve, reject, timer });
      ws.send(JSON.stringify(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params }));
    });
  }

  /** Sends the calls that waited for the session, each with what is left of its timeout. */
  #flushWaiting(ws) {
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const w of waiting) {
      clearTimeout(w.timer);
      const left = w.deadline - Date.now();
      if (left <= 0) {
        w.reject(new TimeoutError(w.method, w.timeoutMs));
      } else {
        this.#request(ws, w.method, w.params, left, w.timeoutMs).then(w.resolve, w.reject);
      }
    }
  }

  /** Sends a JSON-RPC notification (no answer, not even an error). False if not connected. */
  notify(method, params) {
    if (!this.#ws || this.#ws.readyState !== 1) {
      return false;
    }
    this.#ws.send(JSON.stringify(params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params }));
    return true;
  }

  /**
   * Joins a room and keeps it joined across reconnects. Messages newer than the join come as
   * `message` events, and changes to the room's messages as `change` events; older ones are yours
   * to fetch with history() (which shows each message's current state). With `since`, the messages
   * after that seq come as `message` events first, and with `sinceRev` (contract 1.1) the changes
   * after that rev as `change` events (recovery). Resolves with the room.join result.
   */
  async join(room, { since, sinceRev } = {}) {
    // A direct conversation followed without a join goes on where its events stand: no gap, no repeat.
    const direct = since === undefined && sinceRev === undefined ? this.#direct.get(room) : undefined;
    const tracked = direct
      ? this.#lane({ lastSeq: direct.lastSeq, baseSeq: direct.baseSeq, lastRev: direct.recoverAfter })
      : this.#lane({ lastSeq: since ?? null, lastRev: sinceRev ?? null });
    this.#rooms.set(room, tracked);
    try {
      return await this.#sync(room, tracked);
    } catch (e) {
      if (e instanceof RpcError && this.#rooms.get(room) === tracked) {
        this.#rooms.delete(room);
      }
      throw e;
    }
  }

  /** Leaves a room and stops tracking it. */
  async leave(room) {
    const lane = this.#rooms.get(room);
    this.#rooms.delete(room);
    if (lane && room.startsWith(DIRECT_PREFIX)) {
      // Still followed without a join: from where the joined room's events stood.
      const direct = this.#direct.lane(room);
      direct.lastSeq = Math.max(direct.lastSeq ?? 0, lane.lastSeq ?? 0);
      direct.lastRev = Math.max(direct.lastRev ?? 0, lane.lastRev ?? 0);
    }
    return this.call("room.leave", { room });
  }

  /** Sends a text; resolves with the stored Message. Retrying with the same clientId stores it once. */
  send(room, text, { clientId = newClientId() } = {}) {
    return this.call("chat.send", { room, text, clientId });
  }

  /**
   * A page of stored messages, ascending by seq: {before?, after?, limit?} as in chat.history.
   * The server caps a page at about 1 MiB too, so it may hold fewer than `limit` although more
   * exist; historyPage() says whether the cap cut it.
   */
  async history(room, page = {}) {
    return (await this.historyPage(room, page)).messages;
  }

  /**
   * The whole chat.history result: {messages, truncated}. `truncated` is true when the server's
   * byte cap cut the page; page on with `before` = the first seq (no `after`: the oldest were
   * dropped) or `after` = the last seq (with `after`: the newest were dropped).
   */
  async historyPage(room, page = {}) {
    const result = await this.call("chat.history", { room, ...page });
    return { messages: result.messages, truncated: result.truncated === true };
  }

  /** The room's current members. */
  async members(room) {
    const result = await this.call("room.members", { room });
    return result.members;
  }

  /**
   * Tells a joined room's other members that this user is typing (contract 1.1 chat.typing), as a
   * notification: no answer, and the server relays at most one a second. False if not connected.
   */
  typing(room) {
    return this.notify("chat.typing", { room });
  }

  /** Moves this user's read position in a joined room forward (contract 1.1 room.read); resolves with the position. */
  async markRead(room, seq) {
    const result = await this.call("room.read", { room, seq });
    return result.seq;
  }

  /** The room's last seq and its users and sessions on every node (contract 1.1 room.info). */
  info(room) {
    return this.call("room.info", { room });
  }

  /**
   * Sends a direct message to a user (contract 1.1 dm.send); resolves with the stored Message,
   * whose `room` names the conversation and `to` the addressee. Direct messages of both users come
   * as `message` events (with `to`) without a join, once and in order, also across reconnects.
   */
  sendDirect(to, text, { clientId = newClientId() } = {}) {
    return this.call("dm.send", { to, text, clientId });
  }

  /** This user's conversations, most recent first (contract 1.1 dm.list): [{room, with, seq, lastRead}]. */
  async conversations({ limit } = {}) {
    const result = await this.call("dm.list", limit === undefined ? {} : { limit });
    return result.conversations;
  }

  /**
   * Edits a message of this user (contract 1.1 chat.edit); resolves with {room, seq, rev, changed}
   * (`changed: false` for the same text: nothing stored). Everyone in the room, this client included,
   * gets the change as a `change` event.
   */
  edit(room, seq, text) {
    return this.call("chat.edit", { room, seq, text });
  }

  /**
   * Deletes a message (contract 1.1 chat.delete): the author's own, or any with an admin token.
   * Named deleteMessage, not delete, so it reads as what it does. Resolves like edit().
   */
  deleteMessage(room, seq) {
    return this.call("chat.delete", { room, seq });
  }

  /** Adds (`on` true, the default) or removes this user's reaction `emoji` (contract 1.1 chat.react). Resolves like edit(). */
  react(room, seq, emoji, on = true) {
    return this.call("chat.react", { room, seq, emoji, on });
  }

  /** The room's changes with rev > `after`, ascending (contract 1.1 chat.changes): Change[]. */
  async changes(room, after, { limit } = {}) {
    return (await this.changesPage(room, after, { limit })).changes;
  }

  /** The whole chat.changes result: {changes, truncated}; page on after the last rev while it is full or truncated. */
  async changesPage(room, after, { limit } = {}) {
    const result = await this.call("chat.changes", limit === undefined ? { room, after } : { room, after, limit });
    return { changes: Array.isArray(result.changes) ? result.changes : [], truncated: result.truncated === true };
  }

  /** Sends a broadcast to every connected session; resolves with {delivered}. */
  broadcast(text) {
    return this.call("broadcast", { text });
  }

  /** The rooms this client keeps joined, with the last seq delivered in each (null: none yet). */
  rooms() {
    return new Map([...this.#rooms].map(([room, t]) => [room, t.lastSeq]));
  }

  /**
   * Where this client stands in each room it follows, joined rooms and direct conversations alike:
   * room -> {seq, rev}: the last seq delivered (for a direct conversation none of whose messages came
   * yet, the seq dm.list gave), and the rev up to which changes are delivered or were already in
   * place when the client began to follow the room (null: not known yet).
   */
  positions() {
    const all = new Map();
    for (const [room, lane] of [...this.#direct.entries(), ...this.#rooms]) {
      all.set(room, { seq: lane.resumeSeq, rev: lane.recoverAfter });
    }
    return all;
  }

  // --- connection ---------------------------------------------------------------------------

  async #open() {
    this.#setState(this.#attempt === 0 ? States.CONNECTING : States.RECONNECTING, { attempt: this.#attempt });
    const attempt = ++this.#opening;
    this.#token = this.#options.token;
    if (typeof this.#options.getToken === "function") {
      try {
        this.#token = await this.#options.getToken(); // every (re)connect: a fresh token
      } catch (e) {
        if (!this.#closedByUser && this.#opening === attempt) {
          this.#emit("error", { error: e });
          this.#retry(1006, `getToken failed: ${e && e.message}`);
        }
        return;
      }
      if (this.#closedByUser || this.#opening !== attempt) {
        return; // closed, or connect() started another attempt meanwhile
      }
    }
    this.#credentials = this.#options.credentials;
    if (typeof this.#credentials === "function") {
      try {
        this.#credentials = await this.#options.credentials(); // every (re)connect: fresh credentials
      } catch (e) {
        if (!this.#closedByUser && this.#opening === attempt) {
          this.#emit("error", { error: e });
          this.#retry(1006, `credentials failed: ${e && e.message}`);
        }
        return;
      }
      if (this.#closedByUser || this.#opening !== attempt) {
        return;
      }
    }
    let ws;
    try {
      ws = this.#transport === Transports.SSE ? this.#sseLink() : new this.#options.WebSocket(this.#url);
    } catch (e) {
      this.#fatal(e);
      return;
    }
    this.#ws = ws;
    let opened = false;
    let refusedWith = null; // the HTTP status of a refused upgrade, when the implementation shows it
    if (typeof ws.on === "function") {
      // The ws package (Node) reports the answer to a refused upgrade; a browser's WebSocket
      // only closes with 1006, like a network failure.
      ws.on("unexpected-response", (request, response) => {
        refusedWith = response.statusCode;
        response.resume();
        ws.terminate();
      });
    }
    const connectTimer = setTimeout(() => {
      if (this.#ws === ws && ws.readyState !== 1) {
        ws.close();
        this.#onClose(ws, 1006, "connect timeout", null);
      }
    }, this.#options.connectTimeoutMs);
    ws.onopen = () => {
      clearTimeout(connectTimer);
      opened = true;
      if (this.#ws === ws) {
        this.#handshake();
      }
    };
    ws.onmessage = (event) => {
      if (this.#ws === ws) {
        this.#onFrame(event.data);
      }
    };
    ws.onerror = () => {}; // a close follows; the ws package would throw on an unhandled error
    ws.onclose = (event) => {
      clearTimeout(connectTimer);
      if (!opened && ws instanceof SseLink) {
        this.#probeStream(ws, event.code, event.reason);
      } else if (!opened && refusedWith === null && this.#mayFallBack()) {
        this.#probeUpgrade(ws, event.code, event.reason);
      } else {
        this.#onClose(ws, event.code, event.reason, refusedWith);
      }
    };
  }

  /** The event-stream session of an attempt: its name or token go in the query (EventSource sets no headers). */
  #sseLink() {
    if (typeof this.#options.EventSource !== "function" || typeof this.#options.fetch !== "function") {
      throw new TypeError("the sse transport needs EventSource and fetch (pass options.EventSource and options.fetch)");
    }
    return new SseLink(this.#options.httpUrl, this.#streamQuery(), this.#options);
  }

  #streamQuery() {
    const query = {};
    if (this.#token !== undefined && this.#token !== null) {
      query.token = this.#token;
    } else if (this.#options.name !== undefined) {
      query.name = this.#options.name;
    }
    return query;
  }

  /** The status of a request that only asks how the server would answer; null if none came in time. */
  async #probe(url, method) {
    const init = { method, cache: "no-store" };
    if (typeof AbortSignal !== "undefined" && typeof AbortSignal.timeout === "function") {
      init.signal = AbortSignal.timeout(this.#options.connectTimeoutMs);
    }
    try {
      return (await this.#options.fetch(url, init)).status;
    } catch (e) {
      return null; // unreachable, too slow, or (from another origin) refused without CORS headers
    }
  }

  /**
   * An event stream failed before its first event; EventSource shows no status. HEAD /events
   * answers what the GET would have got: a refusal (400 a bad name, 401 a bad token, 403 the
   * origin) is final, as on WebSocket; anything else is retried.
   */
  async #probeStream(link, code, reason) {
    const search = new URLSearchParams(this.#streamQuery()).toString();
    const status = await this.#probe(`${this.#options.httpUrl}/events${search ? "?" + search : ""}`, "HEAD");
    if (this.#ws === link) {
      this.#onClose(link, code, reason, status !== null && isRefusal(status) ? status : null);
    }
  }

  /**
   * True while on WebSocket with SSE allowed after it and available (EventSource, which a browser
   * has and Node 20 has not, and fetch to ask the server why an upgrade failed).
   */
  #mayFallBack() {
    return this.#transport === Transports.WEBSOCKET && this.#options.transports.includes(Transports.SSE)
      && typeof this.#options.fetch === "function" && typeof this.#options.EventSource === "function";
  }

  /**
   * An upgrade failed without showing why (a browser shows no status). A plain GET /ws answers
   * what the server would do with an upgrade from here: 426 means it would take it, so the
   * network in between dropped it; after BLOCKED_UPGRADES_BEFORE_SSE of those the client uses
   * SSE. A refusal (401, 403) is final as ever; no answer at all is the network being down,
   * which SSE would not get through either.
   */
  async #probeUpgrade(ws, code, reason) {
    const status = await this.#probe(`${this.#options.httpUrl}/ws`, "GET");
    if (this.#ws !== ws) {
      return; // closed, or replaced meanwhile
    }
    if (status === UPGRADE_REQUIRED && ++this.#blockedUpgrades >= BLOCKED_UPGRADES_BEFORE_SSE) {
      this.#transport = Transports.SSE;
      this.#attempt = 0; // a new transport starts its backoff afresh
      this.#emit("transport", { transport: this.#transport });
    }
    this.#onClose(ws, code, reason, status !== null && isRefusal(status) && status !== UPGRADE_REQUIRED ? status : null);
  }

  async #handshake() {
    const ws = this.#ws;
    const params = {};
    if (this.#options.name !== undefined) params.name = this.#options.name;
    if (this.#token !== undefined && this.#token !== null) params.token = this.#token;
    if (this.#credentials !== undefined && this.#credentials !== null) params.credentials = this.#credentials;
    try {
      this.#hello = await this.#request(ws, "session.hello", params, this.#options.callTimeoutMs);
    } catch (e) {
      if (this.#ws !== ws) {
        return; // the connection closed meanwhile: #onClose decided already
      }
      // -32005: the server's connect proxy failed for now; retried like a dropped connection.
      if (e instanceof RpcError && e.code !== ErrorCodes.UNAVAILABLE) {
        this.#fatal(e);
      } else {
        ws.close(); // timed out: give up on this connection and try another
        this.#onClose(ws, 1006, e.message, null);
      }
      return;
    }
    this.#attempt = 0;
    this.#expired = false;
    if (this.#transport === Transports.WEBSOCKET) {
      this.#blockedUpgrades = 0; // two drops must come in a row, not hours apart
    }
    this.#scheduleRenewal(ws);
    this.#setState(States.OPEN, { user: this.#hello.user, transport: this.#transport });
    if (this.#ready) {
      this.#ready.resolve(this.#hello);
    }
    for (const [room, tracked] of this.#rooms) {
      this.#sync(room, tracked).then(
        (result) => this.#emit("rejoined", result),
        (e) => {
          if (e instanceof RpcError && this.#rooms.get(room) === tracked) {
            this.#rooms.delete(room);
          }
          this.#emit("error", { room, error: e });
        });
    }
    if (this.#ws === ws) {
      // Before any frame of the new session is read: live direct messages and changes wait in
      // their conversation's buffer until the catch-up has delivered what came meanwhile.
      const round = this.#direct.begin();
      this.#flushWaiting(ws); // after the rejoins' room.join, so a waiting send finds its room joined
      this.#syncDirect(round);
    }
  }

  /**
   * With getToken and a token that has an `exp`: before it passes, asks for a fresh token and
   * sends it in session.hello on the same session. A failure is reported (`error`) and tried again.
   */
  #scheduleRenewal(ws) {
    clearTimeout(this.#renewTimer);
    const delayMs = typeof this.#options.getToken === "function" ? renewIn(this.#token) : null;
    if (delayMs === null) {
      return;
    }
    this.#renewTimer = setTimeout(async () => {
      if (this.#ws !== ws || this.#state !== States.OPEN) {
        return;
      }
      try {
        const fresh = await this.#options.getToken();
        if (this.#ws === ws) {
          await this.#request(ws, "session.hello", { token: fresh }, this.#options.callTimeoutMs);
          this.#token = fresh;
        }
      } catch (e) {
        this.#emit("error", { error: e });
      }
      if (this.#ws === ws) {
        this.#scheduleRenewal(ws);
      }
    }, delayMs);
  }

  #onClose(ws, code, reason, refusedWith) {
    if (this.#ws !== ws) {
      return; // an old socket, already replaced or closed on purpose
    }
    this.#ws = null;
    clearTimeout(this.#renewTimer);
    this.#failPending(`the connection closed (${code}${reason ? " " + reason : ""})`);
    for (const lane of this.#rooms.values()) {
      lane.reset(); // a join in flight is void; the next session joins again
    }
    this.#direct.reset();
    if (this.#closedByUser) {
      return;
    }
    if (refusedWith !== null && isRefusal(refusedWith)) {
      this.#fatal(new RefusedError(refusedWith), code);
      return;
    }
    const expired = this.#expired && code === 1008 && typeof this.#options.getToken === "function";
    this.#expired = false;
    if (!RECONNECT_CODES.has(code) && !expired) {
      this.#fatal(new ClosedError("connection", `closed by the server (${code}${reason ? " " + reason : ""})`), code);
      return;
    }
    this.#retry(code, refusedWith === null ? reason : `HTTP ${refusedWith}`);
  }

  /** Schedules the next attempt with backoff, or gives up after maxAttempts attempts in a row. */
  #retry(code, reason) {
    const ceiling = Math.min(this.#options.maxDelayMs, this.#options.minDelayMs * 2 ** this.#attempt);
    this.#attempt++;
    if (this.#attempt >= this.#options.maxAttempts) {
      const why = `gave up after ${this.#attempt} failed attempt(s); the last: ${code}${reason ? " " + reason : ""}`;
      this.#fatal(new ClosedError("connect", why), code);
      return;
    }
    const announced = code === GOING_AWAY ? announcedWait(reason) : null;
    const delayMs = announced ?? Math.floor(this.#options.random() * ceiling);
    this.#setState(States.RECONNECTING, { code, reason, delayMs, attempt: this.#attempt, at: Date.now() + delayMs });
    this.#retryTimer = setTimeout(() => this.#open(), delayMs);
  }

  #fatal(error, code) {
    this.#closedByUser = true;
    clearTimeout(this.#renewTimer);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.close(1000);
    }
    this.#failPending(error.message);
    this.#failWaiting(error.message);
    if (this.#ready) {
      this.#ready.reject(error);
      this.#ready = null;
    }
    this.#emit("error", { error });
    this.#setState(States.CLOSED, { code, reason: error.message, error });
  }

  #failPending(why) {
    for (const [id, call] of this.#pending) {
      clearTimeout(call.timer);
      call.reject(new ClosedError(call.method, why));
      this.#pending.delete(id);
    }
  }

  #failWaiting(why) {
    for (const w of this.#waiting) {
      clearTimeout(w.timer);
      w.reject(new ClosedError(w.method, why));
    }
    this.#waiting.clear();
  }

  #setState(state, detail = {}) {
    this.#state = state;
    this.#emit("state", { state, ...detail });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // --- frames -------------------------------------------------------------------------------

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      this.#emit("error", { error: new Error("the server sent a frame that is not JSON") });
      return;
    }
    for (const item of Array.isArray(frame) ? frame : [frame]) {
      if (item && typeof item.method === "string") {
        this.#onNotification(item.method, item.params);
      } else if (item && (typeof item.id === "number" || typeof item.id === "string")) {
        this.#onResponse(item);
      }
    }
  }

  #onResponse(response) {
    const call = this.#pending.get(response.id);
    if (!call) {
      return; // timed out already
    }
    this.#pending.delete(response.id);
    clearTimeout(call.timer);
    if (response.error) {
      call.reject(new RpcError(call.method, response.error));
    } else {
      call.resolve(response.result);
    }
  }

  #onNotification(method, params) {
    switch (method) {
      case "chat.message":
        this.#onMessage(params);
        break;
      case "room.joined":
        this.#emit("joined", params);
        break;
      case "room.left":
        this.#emit("left", params);
        break;
      case "broadcast":
        this.#emit("broadcast", params);
        break;
      case "chat.change":
        this.#onChange(params);
        break;
      case "chat.typing":
        this.#emit("typing", params);
        break;
      case "room.read":
        this.#emit("read", params);
        break;
      case "session.expired":
        this.#expired = true; // the 1008 close that follows is retried when getToken can give a fresh token
        this.#emit("notification", { method, params });
        break;
      default:
        this.#emit("notification", { method, params });
    }
  }

  // --- rooms and recovery -------------------------------------------------------------------

  /** A lane that hands its messages and changes to the app as events. */
  #lane(marks) {
    return new RoomLane((m) => this.#emit("message", m), (c) => this.#emit("change", c), marks);
  }

  #onMessage(message) {
    const lane = this.#rooms.get(message.room);
    if (lane) {
      lane.offerMessage(message); // buffered while the join's recovery is out
    } else if (typeof message.to === "string") {
      this.#direct.lane(message.room).offerMessage(message); // a direct message outside any joined room
    }
    // else: a room left already
  }

  /** A chat.change (contract 1.1): in a joined room, or a direct conversation's (no join needed). */
  #onChange(change) {
    if (!change || typeof change.room !== "string") {
      return;
    }
    const lane = this.#rooms.get(change.room);
    if (lane) {
      lane.offerChange(change);
    } else if (change.room.startsWith(DIRECT_PREFIX)) {
      this.#direct.lane(change.room).offerChange(change);
    }
  }

  /**
   * After a hello: the first one notes where each direct conversation stands; later ones
   * (reconnects) deliver what came meanwhile (chatlayer.js, DirectConversations).
   */
  async #syncDirect(round) {
    try {
      await this.#direct.sync(round);
    } catch (e) {
      // -32601: a server before contract 1.1. A dropped connection or a timeout: the next
      // session catches up again.
      if (e instanceof RpcError && e.code !== -32601) {
        this.#emit("error", { error: e });
      }
    }
  }

  /**
   * room.join (with since when a seq is known, sinceRev when a rev is), then the missed messages,
   * then the changes after sinceRev (paged to the join's rev), then the live ones that came meanwhile.
   */
  async #sync(room, lane) {
    const token = lane.begin();
    try {
      const params = { room };
      if (lane.resumeSeq !== null) {
        params.since = lane.resumeSeq;
      }
      if (lane.lastRev !== null) {
        params.sinceRev = lane.lastRev;
      }
      const result = await this.call("room.join", params);
      if (!lane.current(token)) {
        return result; // the connection dropped meanwhile; a newer join takes over
      }
      if (lane.resumeSeq === null) {
        lane.lastSeq = result.seq;
      }
      for (const message of result.missed) {
        lane.deliverMessage(message);
      }
      let more = result.truncated;
      while (more && lane.current(token)) {
        const page = await this.historyPage(room, { after: lane.resumeSeq, limit: HISTORY_PAGE });
        page.messages.forEach((message) => lane.deliverMessage(message));
        // a page cut by the server's byte cap is short although more follow
        more = page.messages.length > 0 && (page.truncated || page.messages.length === HISTORY_PAGE);
      }
      if (typeof result.rev === "number" && lane.current(token)) {
        if (params.sinceRev === undefined) {
          lane.lastRev = result.rev; // later changes come live
        } else {
          (Array.isArray(result.changes) ? result.changes : []).forEach((change) => lane.deliverChange(change));
          await recoverChanges(this, room, lane, token, result.rev);
        }
      }
      lane.end(token); // the live messages, then the live changes, that came meanwhile
      return result;
    } finally {
      lane.end(token, { flush: false }); // failed: the buffer goes; the next session recovers it
    }
  }
}

/** A fresh id for chat.send's clientId: reuse it when retrying the same message, so it is stored once. */
export function newClientId() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === "function") {
    return globalThis.crypto.randomUUID();
  }
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
