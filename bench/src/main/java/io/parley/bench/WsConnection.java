package io.parley.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client WebSocket over a plain NIO socket channel, cheap enough that the benchmark measures
 * the server rather than itself: reusable heap buffers, frames parsed in place, text handed to the
 * {@link Handler} as a slice of the read buffer (no String per message).
 *
 * <p>Everything is non-blocking, the handshake included: {@link #start} begins the TCP connect and
 * returns at once; the owning {@link EventLoop} then calls {@link #onConnectable} and {@link
 * #onReadable}, and the {@link Upgrade} listener hears once whether the 101 arrived. Only that one
 * event-loop thread may call any method. Fragmented messages are reassembled; pings are answered;
 * a close frame or EOF marks the connection closed.
 */
final class WsConnection {
  /** Receives complete text (or binary) messages; the bytes are valid only during the call. */
  @FunctionalInterface
  interface Handler {
    void handle(WsConnection c, byte[] buf, int off, int len);
  }

  /** Hears the end of the opening handshake: exactly one of the two calls, once. */
  interface Upgrade {
    void onOpen(WsConnection c);

    void onFailure(WsConnection c, IOException e);
  }

  private enum State { CONNECTING, UPGRADING, OPEN, CLOSED }

  /** Small first buffers: 19,000 idle connections must fit in a default heap; both grow on demand. */
  private static final int IN_BUFFER = 4 * 1024;
  private static final int OUT_BUFFER = 1024;

  final int index;
  private final SocketChannel channel;
  private final URI url;
  private final Upgrade upgrade;
  private final long startedAt;
  private long openedAt;
  private SelectionKey key;
  private final Handler handler;
  private ByteBuffer in = ByteBuffer.allocate(IN_BUFFER);
  private ByteBuffer out = ByteBuffer.allocate(OUT_BUFFER);
  private byte[] fragments = new byte[0];
  private int fragmentLength;
  private int maskState;
  private State state = State.CONNECTING;

  private WsConnection(int index, SocketChannel channel, URI url, Handler handler, Upgrade upgrade) {
    this.index = index;
    this.channel = channel;
    this.url = url;
    this.handler = handler;
    this.upgrade = upgrade;
    this.startedAt = System.nanoTime();
    this.maskState = ThreadLocalRandom.current().nextInt() | 1;
  }

  /**
   * Begins connecting to {@code url} and registers with {@code selector}; the upgrade request is
   * queued and goes out once TCP is connected. Throws only when no socket could be created at all.
   */
  static WsConnection start(URI url, int index, Selector selector, Handler handler, Upgrade upgrade)
      throws IOException {
    int port = url.getPort() > 0 ? url.getPort() : 80;
    SocketChannel ch = SocketChannel.open();
    WsConnection c = new WsConnection(index, ch, url, handler, upgrade);
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      c.out.put(upgradeRequest(url, port));
      c.key = ch.register(selector, 0, c);
      if (ch.connect(new InetSocketAddress(url.getHost(), port))) {
        c.connected();
      } else {
        c.key.interestOps(SelectionKey.OP_CONNECT);
      }
    } catch (IOException e) {
      c.fail(e);
    }
    return c;
  }

  private static byte[] upgradeRequest(URI url, int port) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    return request.getBytes(StandardCharsets.US_ASCII);
  }

  /** TCP connect finished (or failed): send the upgrade request. */
  void onConnectable() {
    try {
      if (channel.finishConnect()) {
        connected();
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void connected() {
    state = State.UPGRADING;
    key.interestOps(SelectionKey.OP_READ);
    flush();
  }

  /** Nanoseconds from {@link #start} to the 101 response, or -1 while not open. */
  long handshakeNanos() {
    return openedAt == 0 ? -1 : openedAt - startedAt;
  }

  /** Reads the response head; true once the 101 was complete (the rest of the buffer is frames). */
  private boolean readHandshake() throws IOException {
    if (channel.read(in) < 0) {
      throw new IOException("connection closed during the upgrade to " + url);
    }
    byte[] a = in.array();
    for (int i = 3; i < in.position(); i++) {
      if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
        String head = new String(a, 0, i, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101")) {
          throw new IOException("upgrade to " + url + " refused: " + head.lines().findFirst().orElse(""));
        }
        in.flip();
        in.position(i + 1);
        in.compact();
        return true;
      }
    }
    if (!in.hasRemaining()) {
      throw new IOException("upgrade response from " + url + " longer than " + in.capacity() + " bytes");
    }
    return false;
  }

  /** Closes a connection that never opened and tells the listener why. */
  void fail(IOException e) {
    boolean wasPending = state == State.CONNECTING || state == State.UPGRADING;
    close();
    if (wasPending) {
      upgrade.onFailure(this, e);
    }
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  /** Sends {@code payload[0..len)} as one masked text frame, writing at once what the socket takes. */
  void sendText(byte[] payload, int len) {
    if (state != State.OPEN) {
      return;
    }
    ensureOut(len + 14);
    out.put((byte) 0x81);
    if (len < 126) {
      out.put((byte) (0x80 | len));
    } else if (len < 65536) {
      out.put((byte) (0x80 | 126)).putShort((short) len);
    } else {
      out.put((byte) (0x80 | 127)).putLong(len);
    }
    int m = nextMask();
    out.putInt(m);
    byte[] a = out.array();
    int p = out.position();
    for (int i = 0; i < len; i++) {
      a[p + i] = (byte) (payload[i] ^ (m >>> (24 - 8 * (i & 3))));
    }
    out.position(p + len);
    flush();
  }

  private int nextMask() {
    int x = maskState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    maskState = x;
    return x;
  }

  private void ensureOut(int extra) {
    if (out.remaining() < extra) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + extra));
      out.flip();
      bigger.put(out);
      out = bigger;
    }
  }

  /** Writes what the socket takes; asks the selector for OP_WRITE while bytes remain. */
  void flush() {
    try {
      out.flip();
      channel.write(out);
      boolean pending = out.hasRemaining();
      out.compact();
      if (key.isValid()) {
        int ops = pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (key.interestOps() != ops) {
          key.interestOps(ops);
        }
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  /** Reads what is there and hands every complete message to the handler. */
  void onReadable() {
    if (state == State.UPGRADING) {
      try {
        if (!readHandshake()) {
          return;
        }
      } catch (IOException e) {
        fail(e);
        return;
      }
      state = State.OPEN;
      openedAt = System.nanoTime();
      upgrade.onOpen(this);
      parseFrames();
      return;
    }
    try {
      int n = channel.read(in);
      if (n < 0) {
        close();
        return;
      }
    } catch (IOException e) {
      close();
      return;
    }
    parseFrames();
  }

  private void parseFrames() {
    in.flip();
    byte[] a = in.array();
    int needed = 0;
    while (in.remaining() >= 2) {
      int start = in.position();
      int b0 = a[start] & 0xff;
      int b1 = a[start + 1] & 0xff;
      int header = 2;
      long len = b1 & 0x7f;
      if (len == 126) {
        header = 4;
        if (in.remaining() < header) { needed = header; break; }
        len = ((a[start + 2] & 0xff) << 8) | (a[start + 3] & 0xff);
      } else if (len == 127) {
        header = 10;
        if (in.remaining() < header) { needed = header; break; }
        len = in.getLong(start + 2);
      }
      if ((b1 & 0x80) != 0) {
        header += 4; // servers must not mask; tolerate and skip the key without unmasking
      }
      if (len > Integer.MAX_VALUE - 64 || in.remaining() < header + len) {
        needed = (int) Math.min(Integer.MAX_VALUE - 64, header + len);
        break;
      }
      int off = start + header;
      onFrame(b0 & 0x80, b0 & 0x0f, a, off, (int) len);
      in.position(off + (int) len);
      if (state == State.CLOSED) {
        return;
      }
    }
    in.compact();
    if (needed > in.capacity()) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
      in.flip();
      bigger.put(in);
      in = bigger;
    }
  }

  private void onFrame(int fin, int opcode, byte[] a, int off, int len) {
    switch (opcode) {
      case 0x1, 0x2 -> {
        if (fin != 0) {
          handler.handle(this, a, off, len);
        } else {
          fragmentLength = 0;
          appendFragment(a, off, len);
        }
      }
      case 0x0 -> {
        appendFragment(a, off, len);
        if (fin != 0) {
          handler.handle(this, fragments, 0, fragmentLength);
          fragmentLength = 0;
        }
      }
      case 0x9 -> sendControl(0xA, a, off, len);
      case 0x8 -> {
        sendControl(0x8, a, off, Math.min(len, 2));
        close();
      }
      default -> { }
    }
  }

  private void appendFragment(byte[] a, int off, int len) {
    if (fragments.length < fragmentLength + len) {
      byte[] bigger = new byte[Math.max(fragments.length * 2, fragmentLength + len)];
      System.arraycopy(fragments, 0, bigger, 0, fragmentLength);
      fragments = bigger;
    }
    System.arraycopy(a, off, fragments, fragmentLength, len);
    fragmentLength += len;
  }

  private void sendControl(int opcode, byte[] a, int off, int len) {
    ensureOut(len + 6);
    out.put((byte) (0x80 | opcode)).put((byte) (0x80 | len)).putInt(0);
    out.put(a, off, len);
    flush();
  }

  /** Sends a normal close frame (best effort) and closes the socket. */
  void closeNormally() {
    if (state == State.OPEN) {
      byte[] code = {0x03, (byte) 0xE8};
      sendControl(0x8, code, 0, 2);
    }
    close();
  }

  void close() {
    state = State.CLOSED;
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more to do for a benchmark connection
    }
  }
}
