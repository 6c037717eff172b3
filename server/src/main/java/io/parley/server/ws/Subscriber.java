package io.parley.server.ws;

/**
 * What the hub needs of a session to deliver to it: who it is, and a feed per room it joins. The
 * session's ordering (its lock) stays behind {@link RoomFeed}: nothing outside this package takes it.
 */
public interface Subscriber {

  /** The user name presence reports. */
  String user();

  /**
   * A new feed for one room, holding what it is given until {@link RoomFeed#goLive}: the
   * subscriber's join is reading the store.
   */
  RoomFeed joinFeed();

  /**
   * A feed that is live at once, for messages that reach the subscriber without a join (contract
   * 1.1 direct messages): what it is given is written straight away, in order.
   */
  default RoomFeed directFeed() {
    RoomFeed feed = joinFeed();
    feed.goLive(-1);
    return feed;
  }
}
