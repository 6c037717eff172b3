package io.parley.server.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests that read
 * {@code /metrics} as Prometheus would rather than with regular expressions. No maintained Java
 * library parses this format (the Prometheus Java client only writes it), hence this one. It
 * refuses, with the line number: a malformed name, label, value or timestamp, an unknown escape, a
 * duplicate label, a second {@code HELP} or {@code TYPE} for a name, a {@code TYPE} after its
 * samples, a family whose samples are not together, a repeated series, a missing final line feed;
 * and for histograms a bucket without {@code le}, buckets out of order or not cumulative, no
 * {@code +Inf} bucket, or a {@code _count} other than the {@code +Inf} bucket.
 */
final class PrometheusText {
  /** One sample: its name (with any {@code _bucket} / {@code _sum} / {@code _count} suffix), labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** One metric family: its name, type ({@code untyped} when not declared), help and samples in order. */
  record Family(String name, String type, String help, List<Sample> samples) {
    /** The samples called {@code name} whose labels include all of {@code labels}. */
    List<Sample> samples(String name, Map<String, String> labels) {
      return samples.stream().filter(s -> s.name().equals(name))
          .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }
  }

  /** Thrown for input that is not valid text format. */
  static final class MalformedException extends RuntimeException {
    MalformedException(int line, String problem, String text) {
      super("line " + line + ": " + problem + ": " + text);
    }
  }

  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?Inf|NaN");
  private static final Pattern TIMESTAMP = Pattern.compile("-?\\d{1,19}");

  private final Map<String, String> types = new LinkedHashMap<>();
  private final Map<String, String> helps = new LinkedHashMap<>();
  private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
  private final Set<String> closed = new HashSet<>();
  private final Set<String> series = new HashSet<>();
  private String current;
  private int line;

  private PrometheusText() {}

  /** The families in {@code text}, by name, in the order they appear. */
  static Map<String, Family> parse(String text) {
    PrometheusText parser = new PrometheusText();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new MalformedException(text.split("\n", -1).length, "the last line must end with a line feed", "");
    }
    for (String l : text.split("\n")) {
      parser.line++;
      parser.accept(l);
    }
    return parser.families();
  }

  private void accept(String text) {
    if (text.isBlank()) {
      return;
    }
    if (text.startsWith("#")) {
      comment(text);
    } else {
      sample(text);
    }
  }

  private void comment(String text) {
    String[] words = text.substring(1).trim().split("[ \t]+", 3);
    if (words.length < 2 || !(words[0].equals("HELP") || words[0].equals("TYPE"))) {
      return; // a plain comment
    }
    String name = words[1];
    if (!METRIC_NAME.matcher(name).matches()) {
      throw fail("bad metric name in " + words[0], text);
    }
    if (words[0].equals("HELP")) {
      if (helps.containsKey(name)) {
        throw fail("second HELP for " + name, text);
      }
      helps.put(name, unescape(words.length > 2 ? words[2] : "", false, text));
      enter(name, text);
      return;
    }
    String type = words.length > 2 ? words[2].trim() : "";
    if (!TYPES.contains(type)) {
      throw fail("unknown type \"" + type + "\"", text);
    }
    if (types.containsKey(name)) {
      throw fail("second TYPE for " + name, text);
    }
    if (samples.containsKey(name)) {
      throw fail("TYPE for " + name + " after its samples", text);
    }
    types.put(name, type);
    enter(name, text);
  }

  private void sample(String text) {
    int i = 0;
    while (i < text.length() && text.charAt(i) != '{' && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
      i++;
    }
    String name = text.substring(0, i);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw fail("bad metric name", text);
    }
    Map<String, String> labels = new TreeMap<>();
    if (i < text.length() && text.charAt(i) == '{') {
      i = labels(text, i + 1, labels);
    }
    String[] rest = text.substring(i).trim().split("[ \t]+");
    if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
      throw fail("expected a value and at most a timestamp after the labels", text);
    }
    if (!FLOAT.matcher(rest[0]).matches()) {
      throw fail("bad value \"" + rest[0] + "\"", text);
    }
    if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
      throw fail("bad timestamp \"" + rest[1] + "\"", text);
    }
    if (!series.add(name + labels)) {
      throw fail("repeated series", text);
    }
    String family = familyOf(name);
    enter(family, text);
    samples.computeIfAbsent(family, f -> new ArrayList<>()).add(new Sample(name, labels, value(rest[0])));
  }

  /** Reads {@code name="value",...}} from {@code i}; returns the index after the closing brace. */
  private int labels(String text, int i, Map<String, String> into) {
    while (true) {
      if (i < text.length() && text.charAt(i) == '}') {
        return i + 1;
      }
      int equals = text.indexOf('=', i);
      if (equals < 0) {
        throw fail("unterminated labels", text);
      }
      String name = text.substring(i, equals).trim();
      if (!LABEL_NAME.matcher(name).matches()) {
        throw fail("bad label name \"" + name + "\"", text);
      }
      int open = equals + 1;
      if (open >= text.length() || text.charAt(open) != '"') {
        throw fail("label value not quoted", text);
      }
      int close = open + 1;
      while (close < text.length() && text.charAt(close) != '"') {
        close += text.charAt(close) == '\\' ? 2 : 1;
      }
      if (close >= text.length()) {
        throw fail("unterminated label value", text);
      }
      if (into.put(name, unescape(text.substring(open + 1, close), true, text)) != null) {
        throw fail("duplicate label " + name, text);
      }
      i = close + 1;
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
      } else if (i >= text.length() || text.charAt(i) != '}') {
        throw fail("expected , or } after a label", text);
      }
    }
  }

  /** The family a sample belongs to: a declared histogram's or summary's for its suffixed samples. */
  private String familyOf(String name) {
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String type = types.get(base);
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return base;
        }
      }
    }
    return name;
  }

  /** A family's lines must be together: once another family starts, this one is closed. */
  private void enter(String family, String text) {
    if (family.equals(current)) {
      return;
    }
    if (closed.contains(family)) {
      throw fail("the lines of " + family + " are not together", text);
    }
    if (current != null) {
      closed.add(current);
    }
    current = family;
  }

  private String unescape(String value, boolean quotes, String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = i + 1 < value.length() ? value.charAt(++i) : ' ';
      switch (next) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case '"' -> {
          if (!quotes) {
            throw fail("\\\" is no escape in HELP", text);
          }
          out.append('"');
        }
        default -> throw fail("unknown escape \\" + next, text);
      }
    }
    return out.toString();
  }

  private Map<String, Family> families() {
    Map<String, Family> families = new LinkedHashMap<>();
    for (Map.Entry<String, List<Sample>> entry : samples.entrySet()) {
      String name = entry.getKey();
      Family family = new Family(name, types.getOrDefault(name, "untyped"), helps.get(name), List.copyOf(entry.getValue()));
      if (family.type().equals("histogram")) {
        checkHistogram(family);
      }
      families.put(name, family);
    }
    return families;
  }

  /** Each series of a histogram (its labels without {@code le}): buckets ascending and cumulative, {@code +Inf} = {@code _count}. */
  private void checkHistogram(Family family) {
    Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
    for (Sample s : family.samples()) {
      Map<String, String> key = new TreeMap<>(s.labels());
      if (s.name().equals(family.name() + "_bucket")) {
        if (key.remove("le") == null) {
          throw new MalformedException(line, "a bucket without le in " + family.name(), s.toString());
        }
        buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      } else if (s.name().equals(family.name() + "_count")) {
        counts.put(key, s.value());
      } else if (!s.name().equals(family.name() + "_sum")) {
        throw new MalformedException(line, "a histogram sample that is no _bucket, _sum or _count", s.toString());
      }
    }
    for (Map.Entry<Map<String, String>, List<Sample>> series : buckets.entrySet()) {
      double bound = Double.NEGATIVE_INFINITY;
      double total = 0;
      for (Sample bucket : series.getValue()) {
        String text = bucket.labels().get("le");
        if (!FLOAT.matcher(text).matches()) {
          throw new MalformedException(line, "le is not a number in " + family.name(), bucket.toString());
        }
        double le = value(text);
        if (!(le > bound) || bucket.value() < total) {
          throw new MalformedException(line, "buckets not ascending or not cumulative in " + family.name(), bucket.toString());
        }
        bound = le;
        total = bucket.value();
      }
      if (bound != Double.POSITIVE_INFINITY || !Double.valueOf(total).equals(counts.get(series.getKey()))) {
        throw new MalformedException(line, "no +Inf bucket equal to _count in " + family.name(), series.getKey().toString());
      }
    }
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private MalformedException fail(String problem, String text) {
    return new MalformedException(line, problem, text);
  }
}
