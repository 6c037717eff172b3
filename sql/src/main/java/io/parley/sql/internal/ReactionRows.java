package io.parley.sql.internal;

import io.parley.sql.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the reactions of a page of messages (table {@code reactions}) in one range query, only for
 * the messages whose row says they have any, and writes them onto the page. Ordered by rev, so each
 * emoji's users come in the order they reacted and the emoji in the order of their oldest reaction.
 */
final class ReactionRows {
  private static final String RANGE = "SELECT seq, emoji, user_name FROM reactions"
      + " WHERE room = ? AND seq >= ? AND seq <= ? ORDER BY rev";

  private ReactionRows() {}

  /** {@code page} with the reactions of the messages {@code reacted} (seqs, any order) filled in. */
  static List<StoredMessage> attach(Connection c, String room, List<StoredMessage> page, List<Long> reacted)
      throws SQLException {
    Map<Long, Map<String, List<String>>> bySeq = read(c, room, Collections.min(reacted), Collections.max(reacted));
    List<StoredMessage> out = new ArrayList<>(page.size());
    for (StoredMessage m : page) {
      Map<String, List<String>> reactions = bySeq.get(m.seq());
      out.add(reactions == null ? m : m.withReactions(reactions));
    }
    return out;
  }

  /** Each message's reactions of one room with {@code from <= seq <= to}. */
  static Map<Long, Map<String, List<String>>> read(Connection c, String room, long from, long to)
      throws SQLException {
    Map<Long, Map<String, List<String>>> bySeq = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(RANGE)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, room);
      s.setLong(2, from);
      s.setLong(3, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          bySeq.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
              .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
              .add(rs.getString(3));
        }
      }
    }
    return bySeq;
  }
}
