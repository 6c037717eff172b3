package io.parley.server.testing;

import java.util.Random;

/**
 * Made-up chat sentences of about 200 characters for compression tests and figures: common
 * English words drawn with Zipf-like weights (the first words of the list far more often than
 * the last, as in real text), capitalised, with commas, numbers and a closing mark. Never the same
 * sentence twice, so a compressor's window does not find whole repeated messages, which would
 * flatter its ratio; deterministic for a given {@link Random} seed.
 */
public final class ChatText {
  private static final String[] WORDS = (
      "the to I you a and it is that of in for we on this be have it's not with but are just so do at"
      + " can was if what my me your all they will get about like know think one up there out good"
      + " now would when time yeah see should more go no then how been from going did some here an"
      + " our make still today really maybe also tomorrow work back need want right as because lol ok"
      + " sure thanks meeting later people new build test fix deploy release issue branch review code"
      + " server client message room looks great sounds week morning afternoon lunch coffee weekend"
      + " train late home office team call email docs design idea plan first last next again already"
      + " probably actually thing things anyone someone everyone something nothing why where which"
      + " who could around after before while though until since anyway honestly pretty quick small"
      + " big little bit long short fast slow happy sorry problem question answer update change merge"
      + " ticket customer support database numbers figures chart slides demo friday monday tuesday").split(" ");
  private static final double[] CUMULATIVE = new double[WORDS.length];
  private static final String[] ENDS = {".", ".", ".", "!", "?", " :)", "..."};

  static {
    double sum = 0;
    for (int i = 0; i < WORDS.length; i++) {
      sum += 1.0 / (i + 2);
      CUMULATIVE[i] = sum;
    }
    for (int i = 0; i < WORDS.length; i++) {
      CUMULATIVE[i] /= sum;
    }
  }

  private ChatText() {}

  /** One sentence of {@code length} characters or a few more (ASCII, no quote or backslash). */
  public static String sentence(Random random, int length) {
    StringBuilder s = new StringBuilder(length + 16);
    boolean capital = true;
    while (s.length() < length) {
      String word = random.nextInt(25) == 0 ? Integer.toString(random.nextInt(1000)) : word(random);
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(capital ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
      capital = false;
      int mark = random.nextInt(12);
      if (mark == 0) {
        s.append(',');
      } else if (mark == 1 && s.length() < length - 20) {
        s.append(ENDS[random.nextInt(ENDS.length)]);
        capital = true;
      }
    }
    return s.append(ENDS[random.nextInt(ENDS.length)]).toString();
  }

  private static String word(Random random) {
    double r = random.nextDouble();
    int lo = 0;
    int hi = WORDS.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (CUMULATIVE[mid] < r) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return WORDS[lo];
  }
}
