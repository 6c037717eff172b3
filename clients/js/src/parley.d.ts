// Hand-written types of parley.js (@parley/client). Checked by `npm run typecheck`, which
// compiles example/typed-example.ts against them with `tsc --strict`. Change both together.

/** The protocol's error codes (docs/protocol.md). */
export declare const ErrorCodes: Readonly<{
  PARSE_ERROR: -32700;
  INVALID_REQUEST: -32600;
  METHOD_NOT_FOUND: -32601;
  INVALID_PARAMS: -32602;
  INTERNAL_ERROR: -32603;
  UNAUTHORIZED: -32001;
  FORBIDDEN: -32002;
  RATE_LIMITED: -32003;
  TOO_LARGE: -32004;
  UNAVAILABLE: -32005;
  /** Contract 1.1: the application's backend refused the call; `error.data.reason` says why. */
  REJECTED: -32006;
}>;

/** The client's connection states, in the order a session goes through them. */
export declare const States: Readonly<{
  IDLE: "idle";
  CONNECTING: "connecting";
  OPEN: "open";
  RECONNECTING: "reconnecting";
  CLOSED: "closed";
}>;
export type State = (typeof States)[keyof typeof States];

/** The transports: WebSocket, and Server-Sent Events for networks that block upgrades. */
export declare const Transports: Readonly<{
  WEBSOCKET: "websocket";
  SSE: "sse";
}>;
export type Transport = (typeof Transports)[keyof typeof Transports];

/** The server answered a call with a JSON-RPC error: `code` and `data` are the wire's. */
export declare class RpcError extends Error {
  constructor(method: string, error: { code: number; message: string; data?: unknown });
  readonly code: number;
  readonly data: unknown;
}

/** The server refused the WebSocket upgrade (401, 403, other 4xx but 408/429); not retried. */
export declare class RefusedError extends Error {
  constructor(status: number);
  readonly code: "refused";
  /** The HTTP status of the refusal. */
  readonly status: number;
}

/** No answer within the call's timeout. The call may or may not have run. */
export declare class TimeoutError extends Error {
  constructor(method: string, ms: number);
  readonly code: "timeout";
}

/** Never connected, closed for good, or closed after the call was sent (it may or may not have run). */
export declare class ClosedError extends Error {
  constructor(method: string, why: string);
  readonly code: "closed";
}

/** A stored chat message. `ts` is an ISO-8601 UTC time. */
export interface Message {
  room: string;
  seq: number;
  from: string;
  text: string;
  ts: string;
  clientId?: string;
  /** Contract 1.1: the addressee of a direct message. */
  to?: string;
  /** Contract 1.1: when it was last edited (absent if never). */
  edited?: string;
  /** Contract 1.1: true once deleted (its text is then ""). */
  deleted?: boolean;
  /** Contract 1.1: emoji -> the users who reacted with it, in the order they did (absent if none). */
  reactions?: Record<string, string[]>;
  [extra: string]: unknown;
}

/** Contract 1.1: one stored change to a message; `rev` counts a room's changes from 1, without gaps. */
export interface Change {
  room: string;
  rev: number;
  /** The message changed. */
  seq: number;
  kind: "edit" | "delete" | "react";
  /** Who changed it. */
  user: string;
  ts: string;
  /** edit: the new text. */
  text?: string;
  /** react: the emoji, and whether it was added (true) or removed. */
  emoji?: string;
  on?: boolean;
  [extra: string]: unknown;
}

/** Contract 1.1: the result of chat.edit, chat.delete and chat.react. */
export interface ChangeResult {
  room: string;
  seq: number;
  /** The room's rev after the call: the change's own when `changed`. */
  rev: number;
  /** False when the call changed nothing (same text, deleted twice, a reaction already so). */
  changed: boolean;
}

/**
 * Contract 1.1: `message` as it is after `change` (a new object). Idempotent: applying a change the
 * message already shows changes nothing. A change of another message returns `message` as it is.
 */
export declare function applyChange<M extends Message>(message: M, change: Change): M;

/** The `session.hello` result. */
export interface Hello {
  user: string;
  session: string;
  protocol: string;
  [extra: string]: unknown;
}

/** The `room.join` result. */
export interface JoinResult {
  room: string;
  seq: number;
  members: string[];
  missed: Message[];
  truncated: boolean;
  /** Contract 1.1: the joining user's read position in the room (0 if none); absent from a 1.0 server. */
  lastRead?: number;
  /** Contract 1.1: the room's rev (change counter) when the join read it. */
  rev?: number;
  /** Contract 1.1, with `sinceRev`: the changes after it, ascending (`truncated` if cut). */
  changes?: Change[];
  [extra: string]: unknown;
}

/** Contract 1.1 dm.list: one of this user's direct conversations. */
export interface Conversation {
  room: string;
  with: string;
  seq: number;
  lastRead: number;
}

/** Contract 1.1 room.info: a room's last seq, change counter, and its users and sessions on every node. */
export interface RoomInfo {
  room: string;
  seq: number;
  rev: number;
  members: number;
  sessions: number;
}

/** The parts of a WebSocket the client uses: the browser's class, the `ws` package's, or a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ParleyClientOptions {
  /** Sent in `session.hello`; without it the server makes up a guest name. */
  name?: string;
  /** A fixed token for `session.hello` (token mode). `getToken` wins when both are given. */
  token?: string;
  /** Called before every connection attempt, first and re-; its token goes in `session.hello`. */
  getToken?: () => Promise<string | null | undefined> | string | null | undefined;
  /**
   * Sent as `credentials` in `session.hello`, for a server whose application backend admits users
   * through its connect proxy (contract 1.1): any JSON value, or a function (possibly async) called
   * before every connection attempt, first and re-, whose result is sent. A refusal rejects
   * `connect()` with an `RpcError` of code -32006 (`data.reason`); -32005 (the proxy failed) is retried.
   */
  credentials?: unknown | (() => unknown | Promise<unknown>);
  /** How long a call waits for its answer, including a wait for the connection. Default 10000. */
  callTimeoutMs?: number;
  /** How long one connection attempt may take. Default 10000. */
  connectTimeoutMs?: number;
  /** First reconnect delay ceiling. Default 500. */
  minDelayMs?: number;
  /** Largest reconnect delay. Default 10000. */
  maxDelayMs?: number;
  /** Connection attempts in a row that may fail before the client gives up. Default Infinity. */
  maxAttempts?: number;
  /** The jitter source, in [0, 1). Default Math.random. */
  random?: () => number;
  /** The WebSocket class. Default globalThis.WebSocket; in Node < 22 pass `ws`'s. */
  WebSocket?: WebSocketConstructor | (abstract new (...args: any[]) => any);
  /**
   * The transports allowed, tried in this order. Default ["websocket", "sse"]: the client moves to
   * SSE after two upgrades the network dropped (a refusal by the server never moves it). ["sse"]
   * uses SSE from the start.
   */
  transports?: Transport[];
  /** The server's HTTP base for SSE and the upgrade probe. Default: the WebSocket URL as http(s), without /ws. */
  httpUrl?: string;
  /** The EventSource class for SSE. Default globalThis.EventSource. */
  EventSource?: abstract new (...args: any[]) => any;
  /** The fetch function for SSE calls and the upgrade probe. Default globalThis.fetch. */
  fetch?: (input: string, init?: any) => Promise<{ status: number; text(): Promise<string> }>;
}

export interface HistoryQuery {
  before?: number;
  after?: number;
  limit?: number;
}

export interface StateDetail {
  state: State;
  user?: string;
  /** With `open`: the session's transport. */
  transport?: Transport;
  attempt?: number;
  code?: number;
  reason?: string;
  delayMs?: number;
  at?: number;
  error?: Error;
}

/** Each event's `detail`. */
export interface ParleyEventMap {
  state: CustomEvent<StateDetail>;
  message: CustomEvent<Message>;
  /**
   * Contract 1.1: a change to a message of a joined room or a direct conversation; each rev once,
   * ascending per room, never before its message, also across reconnects. Apply it with applyChange().
   */
  change: CustomEvent<Change>;
  joined: CustomEvent<{ room: string; user: string }>;
  left: CustomEvent<{ room: string; user: string }>;
  broadcast: CustomEvent<{ from: string; text: string; ts: string }>;
  rejoined: CustomEvent<JoinResult>;
  notification: CustomEvent<{ method: string; params: unknown }>;
  error: CustomEvent<{ room?: string; error: Error }>;
  /** Contract 1.1: another member of a room is typing (show it for about 5 s). */
  typing: CustomEvent<{ room: string; user: string }>;
  /** Contract 1.1: another member's read position in a room moved forward. */
  read: CustomEvent<{ room: string; user: string; seq: number }>;
  /** The client moved to another transport for its next attempts. */
  transport: CustomEvent<{ transport: Transport }>;
}

/** One Parley session that survives reconnects. */
export declare class ParleyClient extends EventTarget {
  /** ws(s)://<the page's host>/ws. */
  static defaultUrl(location?: { protocol: string; host: string }): string;
  constructor(url: string, options?: ParleyClientOptions);
  readonly state: State;
  readonly user: string | null;
  /** The transport of the open session, or of the next attempt. */
  readonly transport: Transport;
  connect(): Promise<Hello>;
  close(): void;
  call<R = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<R>;
  notify(method: string, params?: unknown): boolean;
  /** With `since` the messages after it, with `sinceRev` (contract 1.1) the changes after it, come as events first. */
  join(room: string, options?: { since?: number; sinceRev?: number }): Promise<JoinResult>;
  leave(room: string): Promise<{ room: string }>;
  send(room: string, text: string, options?: { clientId?: string }): Promise<Message>;
  history(room: string, query?: HistoryQuery): Promise<Message[]>;
  historyPage(room: string, query?: HistoryQuery): Promise<{ messages: Message[]; truncated: boolean }>;
  members(room: string): Promise<string[]>;
  broadcast(text: string): Promise<{ delivered: number }>;
  /** Contract 1.1: a direct message to a user; its `message` events come to both users without a join. */
  sendDirect(to: string, text: string, options?: { clientId?: string }): Promise<Message>;
  /** Contract 1.1: this user's conversations, most recent first. */
  conversations(options?: { limit?: number }): Promise<Conversation[]>;
  /** Contract 1.1: tells a joined room's other members this user is typing; false if not connected. */
  typing(room: string): boolean;
  /** Contract 1.1: moves this user's read position forward; resolves with the position. */
  markRead(room: string, seq: number): Promise<number>;
  /** Contract 1.1: the room's occupancy on every node. */
  info(room: string): Promise<RoomInfo>;
  /** Contract 1.1: edits a message of this user; `change` events follow. */
  edit(room: string, seq: number, text: string): Promise<ChangeResult>;
  /** Contract 1.1: deletes a message (the author's own, or any with an admin token). */
  deleteMessage(room: string, seq: number): Promise<ChangeResult>;
  /** Contract 1.1: adds (`on` true, the default) or removes this user's reaction. */
  react(room: string, seq: number, emoji: string, on?: boolean): Promise<ChangeResult>;
  /** Contract 1.1: the room's changes with rev > `after`, ascending. */
  changes(room: string, after: number, options?: { limit?: number }): Promise<Change[]>;
  /** Contract 1.1: chat.changes with `truncated` (the 1 MiB cap cut the page). */
  changesPage(room: string, after: number, options?: { limit?: number }): Promise<{ changes: Change[]; truncated: boolean }>;
  rooms(): Map<string, number | null>;
  /** Every room followed (joined, and direct conversations): the last seq delivered and the rev changes are known up to (null: not yet). */
  positions(): Map<string, { seq: number | null; rev: number | null }>;

  addEventListener<K extends keyof ParleyEventMap>(
    type: K,
    listener: (event: ParleyEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof ParleyEventMap>(
    type: K,
    listener: (event: ParleyEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

/** A fresh id for chat.send's clientId: reuse it when retrying the same message. */
export declare function newClientId(): string;
