package io.parley.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one benchmark run, parsed from {@code --name value} pairs (and the value-less
 * flag {@code --join}) and frozen.
 *
 * <p>Method names and params are templates so the tool can drive servers other than Parley:
 * {@code $ROOM} in a params template becomes the room name, {@code $TEXT} the generated message
 * text (which carries the intended send time, so keep it inside a JSON string).
 *
 * <p>{@code publishUrl} is {@code null} unless {@code --publish-url} was given: then fan-out's
 * publishers are connections of their own to that server (another node) instead of the first
 * members.
 */
public record BenchOptions(
    URI url,
    int conns,
    double durationSeconds,
    double warmupSeconds,
    double rate,
    int members,
    int publishers,
    long serverPid,
    URI publishUrl,
    long publishServerPid,
    String room,
    int textSize,
    double drainSeconds,
    String echoMethod,
    String joinMethod,
    String sendMethod,
    String messageNotification,
    String echoParams,
    String joinParams,
    String sendParams,
    int concurrency,
    double holdSeconds,
    boolean join,
    int rooms,
    int inflight,
    int warmupConns,
    List<Double> rates) {
  /** Texts past a server's own limit (Parley's PARLEY_MAX_TEXT) are its to refuse, not the tool's. */
  static final int MAX_TEXT_SIZE = 1 << 20;


  /** Options that take no value on the command line. */
  private static final String JOIN_FLAG = "--join";

  public BenchOptions {
    rates = List.copyOf(rates);
  }

  /** Parley's own method names and sensible small defaults. */
  public static BenchOptions defaults() {
    return new Builder().build();
  }

  /** Parses {@code --name value} pairs over {@link #defaults()}; throws on anything unknown. */
  public static BenchOptions parse(String[] args, int from) {
    Builder b = new Builder();
    for (int i = from; i < args.length; i++) {
      String name = args[i];
      if (name.equals(JOIN_FLAG) && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
        b.set(name, "true");
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value");
      }
      b.set(name, args[++i]);
    }
    return b.build().validated();
  }

  /** Returns a copy with one option changed, named as on the command line. */
  public BenchOptions with(String name, String value) {
    Builder b = new Builder(this);
    b.set(name, value);
    return b.build();
  }

  /** Checks the ranges; returns this. */
  public BenchOptions validated() {
    String scheme = url.getScheme();
    if (!"ws".equals(scheme)) {
      throw new IllegalArgumentException("--url must be ws://host:port/path, was " + url);
    }
    if (publishUrl != null && !"ws".equals(publishUrl.getScheme())) {
      throw new IllegalArgumentException("--publish-url must be ws://host:port/path, was " + publishUrl);
    }
    if (publishUrl == null && publishServerPid > 0) {
      throw new IllegalArgumentException("--publish-server-pid needs --publish-url (without it the publishers are on --url)");
    }
    if (conns < 1 || members < 1 || publishers < 1 || (publishUrl == null && publishers > members)) {
      throw new IllegalArgumentException("need conns >= 1, members >= 1 and 1 <= publishers (<= members unless"
          + " --publish-url); was conns=" + conns + " members=" + members + " publishers=" + publishers);
    }
    if (durationSeconds <= 0 || warmupSeconds < 0 || rate < 0 || drainSeconds < 0 || holdSeconds < 0) {
      throw new IllegalArgumentException("duration must be > 0 and warmup, rate, drain, hold >= 0");
    }
    if (textSize < 24 || textSize > MAX_TEXT_SIZE) {
      throw new IllegalArgumentException("--size must be 24.." + MAX_TEXT_SIZE + ", was " + textSize);
    }
    if (concurrency < 1 || rooms < 1 || inflight < 1 || warmupConns < 0) {
      throw new IllegalArgumentException("need concurrency, rooms, inflight >= 1 and warmup-conns >= 0; was concurrency="
          + concurrency + " rooms=" + rooms + " inflight=" + inflight + " warmup-conns=" + warmupConns);
    }
    for (double r : rates) {
      if (!(r > 0)) {
        throw new IllegalArgumentException("--rates must be positive numbers, was " + rates);
      }
    }
    return this;
  }

  /**
   * The room of connection {@code i}: {@code --room} itself with one room, else
   * {@code <room>-<i mod rooms>} (room names allow {@code -}).
   */
  public String roomOf(int i) {
    return rooms == 1 ? room : room + "-" + (i % rooms);
  }

  /** Mutable twin of the record, so each option is set in one line instead of a copied constructor call. */
  private static final class Builder {
    URI url = URI.create("ws://127.0.0.1:8080/ws");
    int conns = 10;
    double duration = 5;
    double warmup = 1;
    double rate;
    int members = 100;
    int publishers = 1;
    long serverPid = -1;
    URI publishUrl;
    long publishServerPid = -1;
    String room = "bench";
    int size = 100;
    double drain = 3;
    String echoMethod = "echo";
    String joinMethod = "room.join";
    String sendMethod = "chat.send";
    String messageNotification = "chat.message";
    String echoParams = "{\"text\":\"$TEXT\"}";
    String joinParams = "{\"room\":\"$ROOM\"}";
    String sendParams = "{\"room\":\"$ROOM\",\"text\":\"$TEXT\"}";
    int concurrency = 64;
    double hold;
    boolean join;
    int rooms = 1;
    int inflight = 1;
    int warmupConns = 1000;
    List<Double> rates = List.of();

    Builder() {}

    Builder(BenchOptions o) {
      url = o.url; conns = o.conns; duration = o.durationSeconds; warmup = o.warmupSeconds; rate = o.rate;
      members = o.members; publishers = o.publishers; serverPid = o.serverPid;
      publishUrl = o.publishUrl; publishServerPid = o.publishServerPid; room = o.room; size = o.textSize;
      drain = o.drainSeconds; echoMethod = o.echoMethod; joinMethod = o.joinMethod; sendMethod = o.sendMethod;
      messageNotification = o.messageNotification; echoParams = o.echoParams; joinParams = o.joinParams;
      sendParams = o.sendParams; concurrency = o.concurrency; hold = o.holdSeconds; join = o.join;
      rooms = o.rooms; inflight = o.inflight; warmupConns = o.warmupConns; rates = o.rates;
    }

    void set(String name, String v) {
      switch (name) {
        case "--url" -> url = URI.create(v);
        case "--conns" -> conns = Integer.parseInt(v);
        case "--duration" -> duration = Double.parseDouble(v);
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--rate" -> rate = Double.parseDouble(v);
        case "--members" -> members = Integer.parseInt(v);
        case "--publishers" -> publishers = Integer.parseInt(v);
        case "--server-pid" -> serverPid = Long.parseLong(v);
        case "--publish-url" -> publishUrl = URI.create(v);
        case "--publish-server-pid" -> publishServerPid = Long.parseLong(v);
        case "--room" -> room = v;
        case "--size" -> size = Integer.parseInt(v);
        case "--drain" -> drain = Double.parseDouble(v);
        case "--echo-method" -> echoMethod = v;
        case "--join-method" -> joinMethod = v;
        case "--send-method" -> sendMethod = v;
        case "--message-notification" -> messageNotification = v;
        case "--echo-params" -> echoParams = v;
        case "--join-params" -> joinParams = v;
        case "--send-params" -> sendParams = v;
        case "--concurrency" -> concurrency = Integer.parseInt(v);
        case "--hold" -> hold = Double.parseDouble(v);
        case JOIN_FLAG -> join = Boolean.parseBoolean(v);
        case "--rooms" -> rooms = Integer.parseInt(v);
        case "--inflight" -> inflight = Integer.parseInt(v);
        case "--warmup-conns" -> warmupConns = Integer.parseInt(v);
        case "--rates" -> rates = parseRates(v);
        default -> throw new IllegalArgumentException("unknown option " + name + " (see --help)");
      }
    }

    private static List<Double> parseRates(String v) {
      List<Double> list = new ArrayList<>();
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          list.add(Double.parseDouble(part.trim()));
        }
      }
      return list;
    }

    BenchOptions build() {
      return new BenchOptions(url, conns, duration, warmup, rate, members, publishers, serverPid, publishUrl,
          publishServerPid, room, size, drain, echoMethod, joinMethod, sendMethod, messageNotification, echoParams,
          joinParams, sendParams, concurrency, hold, join, rooms, inflight, warmupConns, rates);
    }
  }
}
