package io.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.server.metrics.PrometheusText.Family;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser of the text format 0.0.4: what it reads, and the malformed input it refuses. */
@Timeout(10)
class PrometheusTextTest {
  private static final String HISTOGRAM = """
      # HELP rpc_seconds Calls, "quoted" in help \\\\ and a line\\nbreak
      # TYPE rpc_seconds histogram
      rpc_seconds_bucket{method="chat.send",le="0.001"} 1.0
      rpc_seconds_bucket{method="chat.send",le="0.01"} 3.0
      rpc_seconds_bucket{method="chat.send",le="+Inf"} 3.0
      rpc_seconds_count{method="chat.send"} 3.0
      rpc_seconds_sum{method="chat.send"} 0.012
      """;

  @Test
  void readsFamiliesTypesHelpLabelsAndValues() {
    Map<String, Family> families = PrometheusText.parse(HISTOGRAM + """
        # TYPE closed_total counter
        closed_total{code="1000",reason="a \\"quote\\", a \\\\ and a\\nbreak",} 2 1700000000000
        # a comment
        up NaN
        temperature{place="x"} -1.5e3
        """);
    assertThat(families).containsOnlyKeys("rpc_seconds", "closed_total", "up", "temperature");
    Family rpc = families.get("rpc_seconds");
    assertThat(rpc.type()).isEqualTo("histogram");
    assertThat(rpc.help()).isEqualTo("Calls, \"quoted\" in help \\ and a line\nbreak");
    assertThat(rpc.samples(("rpc_seconds_bucket"), Map.of("le", "+Inf")).get(0).value()).isEqualTo(3.0);
    assertThat(families.get("closed_total").samples().get(0).labels())
        .containsEntry("code", "1000").containsEntry("reason", "a \"quote\", a \\ and a\nbreak");
    assertThat(families.get("up").type()).isEqualTo("untyped");
    assertThat(families.get("up").samples().get(0).value()).isNaN();
    assertThat(families.get("temperature").samples().get(0).value()).isEqualTo(-1500.0);
  }

  @Test
  void anEmptyExpositionHasNoFamilies() {
    assertThat(PrometheusText.parse("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "9bad 1\n",
      "ok{9bad=\"x\"} 1\n",
      "ok{a=x} 1\n",
      "ok{a=\"x} 1\n",
      "ok{a=\"x\" b=\"y\"} 1\n",
      "ok{a=\"x\",a=\"y\"} 1\n",
      "ok{a=\"\\t\"} 1\n",
      "ok 1.2.3\n",
      "ok 0x10\n",
      "ok 1d\n",
      "ok\n",
      "ok 1 2 3\n",
      "ok 1 12.5\n",
      "ok 1",
      "ok 1\nok 2\n",
      "a 1\nb 1\na 2\n",
      "# TYPE ok counter\n# TYPE ok gauge\nok 1\n",
      "# HELP ok one\n# HELP ok two\nok 1\n",
      "ok 1\n# TYPE ok counter\n",
      "# TYPE ok countr\nok 1\n",
      "# HELP ok say \\\"hi\\\"\nok 1\n",
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n",
      "# TYPE h histogram\nh_bucket 1\nh_count 1\n",
      "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\n",
      "# TYPE h histogram\nh_bucket{le=\"x\"} 2\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh 1\n"})
  void refusesMalformedInput(String text) {
    assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(PrometheusText.MalformedException.class)
        .hasMessageStartingWith("line ");
  }

  @Test
  void theErrorNamesTheLine() {
    assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbad value\n"))
        .hasMessage("line 2: bad value \"value\": bad value");
  }
}
