package io.parley.server.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.protocol.JsonText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@link #SECONDS} samples of every node this one knows (itself, and those heard over
 * the cluster) with each node's latest tables, and the cluster's totals made from them. A node
 * silent for {@link #SILENT_MS} is dropped: it stopped, or this node lost it. What is shared is
 * {@code {"sample":{…},"tables":{…}}}, the same the stream carries.
 *
 * <p>Threads: the sampler adds this node's figures, the cluster transport's thread the others';
 * page requests read. Each node's ring is synchronized; the map is concurrent.
 */
final class ClusterFigures {
  /** 15 minutes at one sample a second. */
  static final int SECONDS = 900;
  static final long SILENT_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(ClusterFigures.class);

  private static final class Node {
    final Ring<Sample> samples = new Ring<>(SECONDS);
    volatile JsonObject tables = new JsonObject();
    volatile long heardMillis;
  }

  private final String self;
  private final LongSupplier clockMillis;
  private final ConcurrentMap<String, Node> nodes = new ConcurrentHashMap<>();

  ClusterFigures(String self, LongSupplier clockMillis) {
    this.self = self;
    this.clockMillis = clockMillis;
  }

  String self() {
    return self;
  }

  /** A node's figures of one second (this node's, or one heard). */
  void add(Sample sample, JsonObject tables) {
    Node node = nodes.computeIfAbsent(sample.node(), n -> new Node());
    node.samples.add(sample);
    node.tables = tables;
    node.heardMillis = clockMillis.getAsLong();
  }

  /** Another node's shared figures, as {@link #shared} wrote them; our own echo and bad text are ignored. */
  void heard(String text) {
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      Sample sample = Sample.fromJson(o.getAsJsonObject("sample"));
      if (!self.equals(sample.node())) {
        JsonElement tables = o.get("tables");
        add(sample, tables != null && tables.isJsonObject() ? tables.getAsJsonObject() : new JsonObject());
      }
    } catch (RuntimeException e) {
      LOG.debug("ignored malformed figures from the cluster: {}", e.toString());
    }
  }

  /** The other node whose latest session table lists {@code sessionId}, or {@code null}. */
  String nodeOfSession(String sessionId) {
    for (Map.Entry<String, Node> e : live()) {
      if (e.getKey().equals(self)) {
        continue;
      }
      JsonElement rows = e.getValue().tables.get("sessions");
      if (rows != null && rows.isJsonArray()) {
        for (JsonElement row : rows.getAsJsonArray()) {
          JsonElement id = row.isJsonObject() ? row.getAsJsonObject().get("id") : null;
          if (id != null && id.isJsonPrimitive() && sessionId.equals(id.getAsString())) {
            return e.getKey();
          }
        }
      }
    }
    return null;
  }

  static String shared(Sample sample, JsonObject tables) {
    JsonObject o = new JsonObject();
    o.add("sample", sample.toJson());
    o.add("tables", tables);
    return JsonText.write(o);
  }

  /** The nodes heard lately, this one first, then by name. */
  private List<Map.Entry<String, Node>> live() {
    long since = clockMillis.getAsLong() - SILENT_MS;
    nodes.entrySet().removeIf(e -> !e.getKey().equals(self) && e.getValue().heardMillis < since);
    List<Map.Entry<String, Node>> out = new ArrayList<>(nodes.entrySet());
    out.sort(Comparator.comparing((Map.Entry<String, Node> e) -> !e.getKey().equals(self))
        .thenComparing(Map.Entry::getKey));
    return out;
  }

  /** One second for the stream: each live node's latest sample, the cluster's total of them, the merged tables. */
  JsonObject event() {
    JsonObject nodesJson = new JsonObject();
    List<Sample> latest = new ArrayList<>();
    List<JsonObject> tables = new ArrayList<>();
    long t = 0;
    for (Map.Entry<String, Node> e : live()) {
      Sample s = e.getValue().samples.last();
      if (s != null) {
        nodesJson.add(e.getKey(), s.toJson());
        latest.add(s);
        tables.add(e.getValue().tables);
        t = Math.max(t, s.t());
      }
    }
    JsonObject out = new JsonObject();
    out.addProperty("t", t);
    out.addProperty("self", self);
    out.add("nodes", nodesJson);
    out.add("cluster", Sample.total(t, latest).toJson());
    out.add("tables", merge(tables));
    return out;
  }

  /** The last 15 minutes: per node and for the cluster, one array per series (uPlot's layout), and the tables. */
  JsonObject snapshot() {
    JsonObject nodesJson = new JsonObject();
    // A node's late tick can make two samples of one second: the later one counts, once.
    TreeMap<Long, Map<String, Sample>> bySecond = new TreeMap<>();
    List<JsonObject> tables = new ArrayList<>();
    for (Map.Entry<String, Node> e : live()) {
      List<Sample> samples = e.getValue().samples.toList();
      nodesJson.add(e.getKey(), columns(samples));
      samples.forEach(s -> bySecond.computeIfAbsent(s.t(), k -> new java.util.HashMap<>()).put(s.node(), s));
      tables.add(e.getValue().tables);
    }
    while (bySecond.size() > SECONDS) {
      bySecond.pollFirstEntry();
    }
    List<Sample> cluster = new ArrayList<>(bySecond.size());
    bySecond.forEach((t, samples) -> cluster.add(Sample.total(t, List.copyOf(samples.values()))));
    JsonObject out = new JsonObject();
    out.addProperty("self", self);
    out.addProperty("seconds", SECONDS);
    JsonArray series = new JsonArray();
    for (Series s : Series.ALL) {
      series.add(s.key);
    }
    out.add("series", series);
    out.add("nodes", nodesJson);
    out.add("cluster", columns(cluster));
    out.add("tables", merge(tables));
    return out;
  }

  private static JsonObject columns(List<Sample> samples) {
    JsonObject out = new JsonObject();
    JsonArray t = new JsonArray();
    samples.forEach(s -> t.add(s.t()));
    out.add("t", t);
    for (Series series : Series.ALL) {
      JsonArray column = new JsonArray();
      samples.forEach(s -> column.add(Sample.number(s.get(series))));
      out.add(series.key, column);
    }
    return out;
  }

  /** The nodes' tables as one: rows side by side, the busiest first, cut as each node cuts its own. */
  private static JsonObject merge(List<JsonObject> tables) {
    JsonArray rooms = new JsonArray();
    JsonArray sessions = new JsonArray();
    long roomCount = 0;
    long sessionCount = 0;
    for (JsonObject t : tables) {
      appendAll(rooms, t.get("rooms"));
      appendAll(sessions, t.get("sessions"));
      roomCount += t.has("roomCount") ? t.get("roomCount").getAsLong() : 0;
      sessionCount += t.has("sessionCount") ? t.get("sessionCount").getAsLong() : 0;
    }
    JsonObject out = new JsonObject();
    out.add("rooms", top(rooms, "perSecond", Tables.MAX_ROOMS));
    out.addProperty("roomCount", roomCount);
    out.add("sessions", top(sessions, "queued", Tables.MAX_SESSIONS));
    out.addProperty("sessionCount", sessionCount);
    return out;
  }

  private static void appendAll(JsonArray to, JsonElement rows) {
    if (rows != null && rows.isJsonArray()) {
      to.addAll(rows.getAsJsonArray());
    }
  }

  private static JsonArray top(JsonArray rows, String by, int limit) {
    List<JsonElement> list = new ArrayList<>(rows.asList());
    list.sort(Comparator.comparingDouble((JsonElement e) -> value(e, by)).reversed());
    JsonArray out = new JsonArray();
    list.stream().limit(limit).forEach(out::add);
    return out;
  }

  private static double value(JsonElement row, String key) {
    JsonElement v = row.isJsonObject() ? row.getAsJsonObject().get(key) : null;
    return v == null || !v.isJsonPrimitive() ? 0 : v.getAsDouble();
  }
}
