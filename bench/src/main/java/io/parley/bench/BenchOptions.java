package io.parley.bench;

import java.net.URI;

/**
 * The settings of one benchmark run, parsed from {@code --name value} pairs and frozen.
 *
 * <p>Method names and params are templates so the tool can drive servers other than Parley:
 * {@code $ROOM} in a params template becomes the room name, {@code $TEXT} the generated message
 * text (which carries the intended send time, so keep it inside a JSON string).
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
    String room,
    int textSize,
    double drainSeconds,
    String echoMethod,
    String joinMethod,
    String sendMethod,
    String messageNotification,
    String echoParams,
    String joinParams,
    String sendParams) {

  /** Parley's own method names and sensible small defaults. */
  public static BenchOptions defaults() {
    return new BenchOptions(URI.create("ws://127.0.0.1:8080/ws"), 10, 5, 1, 0, 100, 1, -1, "bench",
        100, 3, "echo", "room.join", "chat.send", "chat.message",
        "{\"text\":\"$TEXT\"}", "{\"room\":\"$ROOM\"}", "{\"room\":\"$ROOM\",\"text\":\"$TEXT\"}");
  }

  /** Parses {@code --name value} pairs over {@link #defaults()}; throws on anything unknown. */
  public static BenchOptions parse(String[] args, int from) {
    BenchOptions o = defaults();
    for (int i = from; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      o = o.with(args[i], args[i + 1]);
    }
    return o.validated();
  }

  /** Returns a copy with one option changed, named as on the command line. */
  public BenchOptions with(String name, String v) {
    switch (name) {
      case "--url": return new BenchOptions(URI.create(v), conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--conns": return new BenchOptions(url, Integer.parseInt(v), durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--duration": return new BenchOptions(url, conns, Double.parseDouble(v), warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--warmup": return new BenchOptions(url, conns, durationSeconds, Double.parseDouble(v), rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--rate": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, Double.parseDouble(v), members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--members": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, Integer.parseInt(v), publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--publishers": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, Integer.parseInt(v), serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--server-pid": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, Long.parseLong(v), room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--room": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, v, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--size": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, Integer.parseInt(v), drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--drain": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, Double.parseDouble(v), echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--echo-method": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, v, joinMethod, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--join-method": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, v, sendMethod, messageNotification, echoParams, joinParams, sendParams);
      case "--send-method": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, v, messageNotification, echoParams, joinParams, sendParams);
      case "--message-notification": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, v, echoParams, joinParams, sendParams);
      case "--echo-params": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, v, joinParams, sendParams);
      case "--join-params": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, v, sendParams);
      case "--send-params": return new BenchOptions(url, conns, durationSeconds, warmupSeconds, rate, members, publishers, serverPid, room, textSize, drainSeconds, echoMethod, joinMethod, sendMethod, messageNotification, echoParams, joinParams, v);
      default: throw new IllegalArgumentException("unknown option " + name + " (see --help)");
    }
  }

  /** Checks the ranges; returns this. */
  public BenchOptions validated() {
    String scheme = url.getScheme();
    if (!"ws".equals(scheme)) {
      throw new IllegalArgumentException("--url must be ws://host:port/path, was " + url);
    }
    if (conns < 1 || members < 1 || publishers < 1 || publishers > members) {
      throw new IllegalArgumentException("need conns >= 1, members >= 1 and 1 <= publishers <= members; was conns="
          + conns + " members=" + members + " publishers=" + publishers);
    }
    if (durationSeconds <= 0 || warmupSeconds < 0 || rate < 0 || drainSeconds < 0) {
      throw new IllegalArgumentException("duration must be > 0 and warmup, rate, drain >= 0");
    }
    if (textSize < 24 || textSize > 4000) {
      throw new IllegalArgumentException("--size must be 24..4000, was " + textSize);
    }
    return this;
  }
}
