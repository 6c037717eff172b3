package io.parley.client;

/**
 * Ends a {@link java.util.concurrent.Flow.Subscriber} that fell behind: more items were waiting
 * for its demand than the stream buffer holds (see {@link ParleyClientBuilder#streamBuffer}).
 * The subscription is cancelled and what was buffered is dropped. To resume without a gap,
 * subscribe again and page {@code chat.history} with {@code after} = the last seq you processed.
 */
public final class StreamOverflowException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public StreamOverflowException(int capacity) {
    super("subscriber fell more than " + capacity + " items behind its demand; subscription cancelled", null);
  }
}
