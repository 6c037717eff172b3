// Contract 1.1 chat layer for parley.js: a room's message and change streams put in order (each
// seq and each rev once, ascending), recovery of changes, applyChange(), and the direct
// conversations a client follows without a join (noted after the first hello, caught up after
// each reconnect).
//
// parley.js imports this file; the server serves both side by side (/js/parley.js and
// /js/chatlayer.js), so the import is relative and a page only ever names /js/parley.js.

/** The most entries one chat.history or chat.changes page may ask for. */
export const PAGE_MAX = 500;

/**
 * A message in its state after `change`: a new object, the given one untouched. Applying a change
 * twice, or to a message that already shows it (recovery reads a room's rev before its messages),
 * gives the same state: an edit sets the text, a deletion empties it and drops the reactions, a
 * reaction adds or removes one user of one emoji (users in the order they reacted). A change for
 * another message (room or seq) returns the message as it is.
 */
export function applyChange(message, change) {
  if (!message || !change || message.room !== change.room || message.seq !== change.seq) {
    return message;
  }
  const next = { ...message };
  switch (change.kind) {
    case "edit":
      if (!next.deleted) {
        next.text = change.text;
        next.edited = change.ts;
      }
      break;
    case "delete":
      next.deleted = true;
      next.text = "";
      delete next.reactions;
      break;
    case "react": {
      if (next.deleted) {
        break;
      }
      const reactions = {};
      for (const [emoji, users] of Object.entries(next.reactions || {})) {
        reactions[emoji] = [...users];
      }
      const users = reactions[change.emoji] || [];
      const at = users.indexOf(change.user);
      if (change.on && at < 0) {
        users.push(change.user);
      } else if (!change.on && at >= 0) {
        users.splice(at, 1);
      }
      if (users.length > 0) {
        reactions[change.emoji] = users;
      } else {
        delete reactions[change.emoji];
      }
      if (Object.keys(reactions).length > 0) {
        next.reactions = reactions;
      } else {
        delete next.reactions;
      }
      break;
    }
    default:
      return message; // a kind this client does not know: leave the message alone
  }
  return next;
}

/**
 * One room's streams, as the client hands them to the app: messages by seq and changes by rev,
 * each once and ascending. While the room is being recovered (a join, or a direct conversation
 * caught up after a reconnect) live notifications wait in a buffer; when recovery is done the
 * buffered messages come out, then the buffered changes, so a change never comes before its message.
 *
 * `lastSeq` and `lastRev` are hard marks: messages and changes at or below them are not delivered
 * (set from what was delivered, or from a join's `seq` and `rev`, after which the server sends only
 * later ones). `baseSeq` and `baseRev` are soft ones, for direct conversations: where the next
 * recovery starts (dm.list's seq, room.info's rev), without dropping a live message or change at or
 * below it that was in flight when the list or the info answered (the store read can overtake the
 * delivery of what it reads).
 *
 * Not thread-safe, and needs not be: one client, one event loop.
 */
export class RoomLane {
  lastSeq = null;
  lastRev = null;
  baseSeq = null;
  baseRev = null;
  #sync = null;
  #messages = [];
  #changes = [];
  #emitMessage;
  #emitChange;

  constructor(emitMessage, emitChange, { lastSeq = null, lastRev = null, baseSeq = null } = {}) {
    this.#emitMessage = emitMessage;
    this.#emitChange = emitChange;
    this.lastSeq = lastSeq;
    this.lastRev = lastRev;
    this.baseSeq = baseSeq;
  }

  /** The seq after which a recovery asks for messages: the higher mark, or null when neither is known. */
  get resumeSeq() {
    return higherMark(this.lastSeq, this.baseSeq);
  }

  /** The rev after which a recovery asks for changes: the higher mark, or null when neither is known. */
  get recoverAfter() {
    return higherMark(this.lastRev, this.baseRev);
  }

  /** Starts a recovery: live notifications wait until end(token). Returns the token. */
  begin() {
    const token = {};
    this.#sync = token;
    this.#messages = [];
    this.#changes = [];
    return token;
  }

  /** Whether `token`'s recovery is still the current one (not voided by a drop or a newer one). */
  current(token) {
    return this.#sync === token;
  }

  get syncing() {
    return this.#sync !== null;
  }

  /** Ends `token`'s recovery (when current): the buffered messages, then the buffered changes, in order. */
  end(token, { flush = true } = {}) {
    if (this.#sync !== token) {
      return;
    }
    this.#sync = null;
    const messages = this.#messages.sort((a, b) => a.seq - b.seq);
    const changes = this.#changes.sort((a, b) => a.rev - b.rev);
    this.#messages = [];
    this.#changes = [];
    if (flush) {
      messages.forEach((m) => this.deliverMessage(m));
      changes.forEach((c) => this.deliverChange(c));
    }
  }

  /** The connection dropped: a recovery in flight is void and its buffer lost (the next one reads it again). */
  reset() {
    this.#sync = null;
    this.#messages = [];
    this.#changes = [];
  }

  offerMessage(message) {
    if (this.#sync) {
      this.#messages.push(message);
    } else {
      this.deliverMessage(message);
    }
  }

  offerChange(change) {
    if (this.#sync) {
      this.#changes.push(change);
    } else {
      this.deliverChange(change);
    }
  }

  deliverMessage(message) {
    if (this.lastSeq !== null && message.seq <= this.lastSeq) {
      return; // seen already (recovery and live notifications overlap)
    }
    this.lastSeq = message.seq;
    this.#emitMessage(message);
  }

  deliverChange(change) {
    if (typeof change.rev !== "number" || (this.lastRev !== null && change.rev <= this.lastRev)) {
      return;
    }
    this.lastRev = change.rev;
    this.#emitChange(change);
  }
}

/** The higher of a hard and a soft mark, either of which may be null (not known). */
function higherMark(hard, soft) {
  if (hard === null) {
    return soft;
  }
  return soft === null ? hard : Math.max(hard, soft);
}

/**
 * Pages chat.changes after `lane.recoverAfter` into `lane` while `token` is current: until the
 * lane reaches `untilRev` when given (a join's rev: later changes come live), else until a page
 * comes back short and not cut by the byte cap.
 */
export async function recoverChanges(client, room, lane, token, untilRev = null) {
  while (lane.current(token)) {
    const after = lane.recoverAfter ?? 0;
    if (untilRev !== null && after >= untilRev) {
      return;
    }
    const page = await client.changesPage(room, after, { limit: PAGE_MAX });
    if (!lane.current(token)) {
      return;
    }
    page.changes.forEach((c) => lane.deliverChange(c));
    if (page.changes.length === 0 || (untilRev === null && !page.truncated && page.changes.length < PAGE_MAX)) {
      return;
    }
  }
}

/** Runs `work(item)` for every item, at most `width` at once; resolves when all are done (failures rethrown after). */
export async function eachLimited(items, width, work) {
  const queue = [...items];
  let failure = null;
  const runners = Array.from({ length: Math.min(width, queue.length) }, async () => {
    while (queue.length > 0) {
      const item = queue.shift();
      try {
        await work(item);
      } catch (e) {
        failure = failure ?? e;
      }
    }
  });
  await Promise.all(runners);
  if (failure) {
    throw failure;
  }
}

/** Direct conversations' rooms (contract 1.1): the server names them dm.<32 hex>. */
export const DIRECT_PREFIX = "dm.";
/** The most conversations one dm.list gives. */
const DM_LIST_MAX = 500;
/** Direct conversations caught up (or asked where they stand) at once after a hello. */
const DM_CATCH_UP_WIDTH = 4;

/**
 * The direct conversations a client follows without a join (contract 1.1): one RoomLane each,
 * made when first seen (dm.list, a direct message, a change). After the first hello it notes where
 * each stands: its last seq (dm.list) and its rev (room.info), the rev only as where the next
 * catch-up starts (a change at or below it still in flight when room.info answered comes live as
 * usual). After each later hello a round catches them up: until it is done, their live messages
 * and changes wait in their lanes' buffers, while it pages chat.history after each last seq and
 * chat.changes after each last rev.
 *
 * `client` is the ParleyClient's public face (call, info, historyPage, changesPage, user);
 * `newLane()` makes a lane that emits events; `isJoined(room)` says whether a join follows the
 * room instead (its join recovers it). One event loop: not thread-safe, and need not be.
 */
export class DirectConversations {
  #lanes = new Map(); // dm. room -> RoomLane
  #known = false; // the first session's dm.list fixed where each conversation starts
  #round = null; // while a reconnect catches conversations up: room -> the token of its lane's recovery
  #client;
  #newLane;
  #isJoined;

  constructor(client, newLane, isJoined) {
    this.#client = client;
    this.#newLane = newLane;
    this.#isJoined = isJoined;
  }

  /** The lane of `room` if it is followed, else undefined. */
  get(room) {
    return this.#lanes.get(room);
  }

  /** Every followed conversation: [room, lane] pairs. */
  entries() {
    return this.#lanes.entries();
  }

  /**
   * The lane of a conversation, made when first seen. One first seen after the first dm.list began
   * since: all its changes are new to this client (baseRev 0). One first seen during a reconnect's
   * catch-up waits in its buffer with the others and is caught up from its start.
   */
  lane(room) {
    let lane = this.#lanes.get(room);
    if (!lane) {
      lane = this.#newLane();
      if (this.#known) {
        lane.baseRev = 0;
      }
      this.#lanes.set(room, lane);
      if (this.#round) {
        lane.lastSeq = 0; // begun while away: all of it
        this.#round.set(room, lane.begin());
      }
    }
    return lane;
  }

  /** The connection dropped: recoveries in flight are void. */
  reset() {
    this.#lanes.forEach((lane) => lane.reset());
    this.#round = null;
  }

  /**
   * Right after a hello, before any frame of the session is read: a later session holds every
   * conversation's live notifications for the catch-up. Returns what sync() takes.
   */
  begin() {
    if (!this.#known) {
      return null;
    }
    const round = new Map();
    for (const [room, lane] of this.#lanes) {
      if (!this.#isJoined(room)) {
        round.set(room, lane.begin());
      }
    }
    this.#round = round;
    return round;
  }

  /**
   * After a hello: the first notes where each conversation stands, later ones catch up. Rejects
   * with the failure (-32601 from a server before contract 1.1: nothing to do); the buffers held
   * for the round come out in any case.
   */
  async sync(round) {
    try {
      if (round) {
        await this.#catchUp(round);
      } else {
        await this.#note();
      }
    } finally {
      if (round && this.#round === round) {
        this.#round = null;
        for (const [room, token] of round) {
          this.#lanes.get(room)?.end(token); // whatever came live meanwhile, in order, once
        }
      }
    }
  }

  async #list() {
    const listed = await this.#client.call("dm.list", { limit: DM_LIST_MAX });
    return listed && Array.isArray(listed.conversations) ? listed.conversations : [];
  }

  async #note() {
    const conversations = await this.#list();
    this.#known = true;
    const unknown = [];
    for (const c of conversations) {
      let lane = this.#lanes.get(c.room);
      if (!lane) {
        lane = this.#newLane({ baseSeq: c.seq });
        this.#lanes.set(c.room, lane);
      }
      if (lane.recoverAfter === null) {
        unknown.push(c.room);
      }
    }
    // A conversation seen live before dm.list answered, but not in its (whole) list, began after
    // the list was read: all its changes are news. Past the list's limit, room.info says.
    const listed = new Set(conversations.map((c) => c.room));
    for (const [room, lane] of this.#lanes) {
      if (!listed.has(room) && lane.recoverAfter === null) {
        if (conversations.length < DM_LIST_MAX) {
          lane.baseRev = 0;
        } else {
          unknown.push(room);
        }
      }
    }
    await eachLimited(unknown, DM_CATCH_UP_WIDTH, async (room) => {
      const info = await this.#client.info(room);
      const lane = this.#lanes.get(room);
      if (lane && lane.baseRev === null && info && typeof info.rev === "number") {
        lane.baseRev = info.rev;
      }
    });
  }

  /** A reconnect: each conversation's messages after its last seq and changes after its last rev. */
  async #catchUp(round) {
    const conversations = await this.#list();
    await eachLimited(conversations, DM_CATCH_UP_WIDTH, async (c) => {
      if (this.#round !== round || this.#isJoined(c.room)) {
        return; // the connection dropped, or the room is joined: its join recovers it
      }
      const lane = this.lane(c.room);
      const token = round.get(c.room);
      if (!token || !lane.current(token)) {
        return;
      }
      while (c.seq > (lane.resumeSeq ?? 0) && lane.current(token)) {
        const page = await this.#client.historyPage(c.room, { after: lane.resumeSeq ?? 0, limit: PAGE_MAX });
        if (!lane.current(token)) {
          return;
        }
        const me = this.#client.user;
        page.messages.forEach((m) => lane.deliverMessage({ ...m, to: m.to ?? (m.from === c.with ? me : c.with) }));
        if (page.messages.length === 0) {
          break;
        }
      }
      // A lane whose rev is unknown (room.info did not answer) reads the conversation's whole
      // change log once: applying it in order ends in the messages' current state.
      await recoverChanges(this.#client, c.room, lane, token);
      lane.end(token);
    });
  }
}
