package io.parley.server.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection and byte counting for one client: a TCP proxy on loopback in front of the
 * server. {@link #cut()} drops every connection through it abruptly (a reset, as when a network
 * path dies) while the server and other clients go on; {@link #pauseDownstream()} stops reading
 * from the server, so what the server writes piles up in its socket buffer and then in its queue
 * (a slow consumer), until {@link #resume()}. New connections are accepted throughout. It counts
 * the bytes going each way (upgrades included) and keeps the head of each connection's upgrade
 * request and answer, so a test can see what a client offered and what it was given.
 */
final class CutProxy implements AutoCloseable {
  private static final int HEAD = 1024;

  private final int target;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong upstream = new AtomicLong();
  private final AtomicLong downstream = new AtomicLong();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> answers = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private boolean paused;

  CutProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "cut-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI wsUri() {
    return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** Bytes from clients to the server so far. */
  long upstream() {
    return upstream.get();
  }

  /** Bytes from the server to clients so far. */
  long downstream() {
    return downstream.get();
  }

  /** The start of each connection's first read from the client (its upgrade request), in order. */
  List<String> requests() {
    return requests;
  }

  /** The start of each connection's first read from the server (the upgrade's answer). */
  List<String> answers() {
    return answers;
  }

  /** Resets every open connection; the proxy keeps accepting new ones. */
  void cut() {
    for (Socket socket : sockets) {
      try {
        socket.setSoLinger(true, 0);
        socket.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
    sockets.clear();
  }

  void pauseDownstream() {
    synchronized (gate) {
      paused = true;
    }
  }

  void resume() {
    synchronized (gate) {
      paused = false;
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.setReceiveBufferSize(8192);
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
        sockets.add(client);
        sockets.add(server);
        accepted.incrementAndGet();
        pump(client, server, false, upstream, requests);
        pump(server, client, true, downstream, answers);
      } catch (IOException e) {
        // listener closed, or the server is down: the client sees its connection fail
      }
    }
  }

  private void pump(Socket from, Socket to, boolean toClient, AtomicLong counter, List<String> heads) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[4096];
      boolean first = true;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        while (true) {
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          if (first) {
            heads.add(new String(buffer, 0, Math.min(n, HEAD), StandardCharsets.ISO_8859_1));
            first = false;
          }
          counter.addAndGet(n);
          if (toClient) {
            awaitUnpaused();
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // cut or closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, toClient ? "cut-proxy-down" : "cut-proxy-up");
    thread.setDaemon(true);
    thread.start();
  }

  private void awaitUnpaused() throws InterruptedException {
    synchronized (gate) {
      while (paused) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() throws IOException {
    resume();
    listener.close();
    cut();
  }
}
