package io.parley.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.parley.client.ConnectionListener;
import io.parley.client.ParleyClient;
import io.parley.protocol.JsonText;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import java.io.PrintStream;
import java.util.List;

/**
 * The modes for scripts: {@code --echo}, {@code --send} and {@code --history}. Each connects
 * without reconnecting, does one thing, prints its answer on stdout and returns 0; every wait is
 * bounded by the SDK's connect and call timeouts.
 */
final class OneShot {
  private OneShot() {}

  static int run(CliArgs cli, Lines lines, PrintStream out) {
    try (ParleyClient client = Main.client(cli, false, ConnectionListener.NONE)) {
      client.connect().join();
      switch (cli.mode()) {
        case ECHO -> {
          JsonArray params = new JsonArray();
          params.add(cli.argument());
          String echoed = client.echo(JsonText.write(params)).join();
          out.println(JsonParser.parseString(echoed).getAsJsonArray().get(0).getAsString());
        }
        case SEND -> {
          client.join(cli.room()).join();
          out.println(lines.numbered(client.send(cli.room(), cli.argument()).join()));
        }
        case HISTORY -> {
          List<Message> page = client.history(new HistoryParams(cli.argument(), null, null, cli.limit())).join();
          page.forEach(m -> out.println(lines.numbered(m)));
        }
        default -> throw new IllegalStateException("not a one-shot mode: " + cli.mode());
      }
      out.flush();
      return Main.OK;
    }
  }
}
