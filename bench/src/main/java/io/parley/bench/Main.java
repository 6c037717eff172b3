package io.parley.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * Command line: {@code java -jar parley-bench.jar <echo|fanout|connect|persist> [--option value]...}.
 * Prints a readable summary and one {@code RESULT {json}} line per result on standard output (a
 * fan-out sweep gives one per rate); exits 2 on bad arguments and 1 when the run failed.
 */
public final class Main {
  private static final String USAGE = String.join("\n",
      "usage: java -jar parley-bench.jar <echo|fanout|connect|persist> [options]",
      "  common:  --url ws://127.0.0.1:8080/ws  --duration 5  --warmup 1  --drain 3  --size 100",
      "           --concurrency 64 (handshakes in flight while connecting)",
      "           --server-pid PID (server CPU per op from /proc/PID/stat, RSS from /proc/PID/status)",
      "  echo:    --conns 10  [--rate R  open loop, R calls/s in total]  --echo-method echo",
      "           --echo-params '{\"text\":\"$TEXT\"}'",
      "  fanout:  --members 100  --publishers 1  --rate 10 (messages/s in total)  --room bench",
      "           [--rates 10,40,80  a sweep: one measured window and result per rate]",
      "           [--publish-url ws://host:port/ws  across nodes: the publishers are P extra connections",
      "            to that node, joined there too; the members on --url receive, and expected, lost,",
      "            e2e and --server-pid's CPU per delivery are theirs (publisher_* for the others)]",
      "           [--publish-server-pid PID  with --publish-url: that node's CPU, and both nodes' per delivery]",
      "           --join-method room.join  --join-params '{\"room\":\"$ROOM\"}'",
      "           --send-method chat.send  --send-params '{\"room\":\"$ROOM\",\"text\":\"$TEXT\"}'",
      "           --message-notification chat.message",
      "  connect: --conns 10  --concurrency 64  --hold 0 (seconds to keep them open)",
      "           --warmup-conns 1000 (opened and closed before the RSS baseline)",
      "           [--join  each connection joins its room: --room, or <room>-<i mod rooms> with --rooms]",
      "  persist: --conns 10  --rooms 1  --inflight 1 (sends outstanding per connection, closed loop)",
      "           [--rate R  open loop, R sends/s in total]  plus fanout's join/send templates",
      "  the peers: --url ws://127.0.0.1:8765/ --join-method join --send-method send --message-notification message");

  private Main() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println(USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args, 1);
    } catch (IllegalArgumentException e) {
      System.err.println("parley-bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try {
      List<Result> results = switch (args[0]) {
        case "echo" -> List.of(EchoScenario.run(options, out));
        case "fanout" -> options.rates().isEmpty()
            ? List.of(FanoutScenario.run(options, out))
            : FanoutScenario.sweep(options, out);
        case "connect" -> List.of(ConnectScenario.run(options, out));
        case "persist" -> List.of(PersistScenario.run(options, out));
        default -> throw new IllegalArgumentException("unknown scenario " + args[0] + " (echo, fanout, connect or persist)");
      };
      for (Result r : results) {
        out.print(r.summary());
        out.println("RESULT " + r.json());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("parley-bench: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("parley-bench: run failed: " + e);
      System.exit(1);
    }
  }
}
