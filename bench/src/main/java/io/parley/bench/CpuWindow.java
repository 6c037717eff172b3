package io.parley.bench;

/** CPU time of the server (by pid) and of this process over the measured window, plus server RSS. */
final class CpuWindow {
  private final long serverPid;
  private long server0;
  private long self0;
  private long serverNanos = -1;
  private long selfNanos = -1;

  CpuWindow(long serverPid) {
    this.serverPid = serverPid;
  }

  void begin() {
    server0 = ProcStats.cpuNanos(serverPid);
    self0 = ProcStats.selfCpuNanos();
  }

  void end() {
    long s = ProcStats.cpuNanos(serverPid);
    long b = ProcStats.selfCpuNanos();
    serverNanos = s < 0 || server0 < 0 ? -1 : s - server0;
    selfNanos = b < 0 || self0 < 0 ? -1 : b - self0;
  }

  /** The server's CPU time over the window in nanoseconds, or -1 when unknown. */
  long serverNanos() {
    return serverNanos;
  }

  /** Adds {@code server_cpu_us_per_<unit>}, {@code bench_cpu_us_per_<unit>} and the server's RSS. */
  void report(Result r, long ops, String unit) {
    r.cpuPerOp("server_cpu_us_per_" + unit, serverNanos, ops);
    r.put("server_cpu_s", serverNanos < 0 ? -1 : Result.round(serverNanos / 1e9, 2));
    r.put("server_rss_mib", serverPid > 0 ? Result.round(ProcStats.rssKib(serverPid) / 1024.0, 1) : -1);
    r.cpuPerOp("bench_cpu_us_per_" + unit, selfNanos, ops);
  }
}
