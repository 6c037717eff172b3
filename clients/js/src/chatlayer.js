// Contract 1.1 edits, deletions and reactions for parley.js: a room's message and change streams
// put in order (each seq and each rev once, ascending), recovery of changes, and applyChange().
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
 * `lastRev` is a hard mark: changes at or below it are not delivered (set from what was delivered,
 * or from a join's `rev`, after which the server sends only later changes). `baseRev` is a soft one,
 * for direct conversations: where the next recovery starts (a room.info's rev), without dropping a
 * live change at or below it that was in flight when room.info answered.
 *
 * Not thread-safe, and needs not be: one client, one event loop.
 */
export class RoomLane {
  lastSeq = null;
  lastRev = null;
  baseRev = null;
  #sync = null;
  #messages = [];
  #changes = [];
  #emitMessage;
  #emitChange;

  constructor(emitMessage, emitChange, { lastSeq = null, lastRev = null } = {}) {
    this.#emitMessage = emitMessage;
    this.#emitChange = emitChange;
    this.lastSeq = lastSeq;
    this.lastRev = lastRev;
  }

  /** The rev after which a recovery asks for changes: the higher mark, or null when neither is known. */
  get recoverAfter() {
    if (this.lastRev === null) {
      return this.baseRev;
    }
    return this.baseRev === null ? this.lastRev : Math.max(this.lastRev, this.baseRev);
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
