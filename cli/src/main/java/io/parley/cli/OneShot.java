package io.parley.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.parley.client.ConnectionListener;
import io.parley.client.ParleyClient;
import io.parley.protocol.JsonText;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;

/**
 * The modes for scripts: {@code --echo}, {@code --send}, {@code --history} and {@code --dm}. Each connects
 * without reconnecting, does one thing, prints its answer on stdout and returns 0; every wait is
 * bounded by the SDK's connect and call timeouts.
 */
final class OneShot {
  private OneShot() {}

  static int run(CliArgs cli, Lines lines, InputStream in, PrintStream out) {
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
        case DIRECT -> {
          String text = cli.argument() != null ? cli.argument() : readAll(in);
          out.println(lines.direct(client.sendDirect(cli.to(), text).join()));
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

  /** All of standard input, without its trailing line breaks (as {@code echo text |} gives it). */
  private static String readAll(InputStream in) {
    try {
      String text = new String(in.readAllBytes(), Charset.defaultCharset()).stripTrailing();
      if (text.isEmpty()) {
        throw new IllegalArgumentException("--dm: no text given: use --send TEXT or pipe the text in");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
  }
}
