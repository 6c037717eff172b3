package io.parley.server.admin;

import com.google.gson.JsonObject;
import io.parley.protocol.JsonText;
import io.parley.server.http.HttpReplies;
import io.parley.server.http.MetricsAccess;
import io.parley.server.http.StaticFiles;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Everything under {@code /admin}, in front of the node's other routes: the page and its files
 * (from {@code admin/} in the jar), the login that sets the cookie, and the API:
 * {@code GET /admin/api/snapshot}, {@code GET /admin/api/stream} (Server-Sent Events) and
 * {@code POST /admin/api/sessions/{id}/disconnect}. Only the login form and what it loads are
 * open; the rest passes {@link AdminAccess} first. A refused {@code GET /admin} gets the login form
 * with 401 (a person is there), everything else the usual JSON error. Runs on Jetty's threads;
 * nothing here blocks.
 */
final class AdminRoutes extends Handler.Wrapper {
  private static final String PREFIX = "/admin";
  private static final Set<String> OPEN_FILES = Set.of("/login.html", "/login.js", "/admin.css");
  private static final Pattern DISCONNECT = Pattern.compile("/api/sessions/([^/]+)/disconnect");

  private final AdminAccess access;
  private final ClusterFigures figures;
  private final EventStream stream;
  private final Disconnects disconnects;
  private final StaticFiles files = new StaticFiles("admin");

  AdminRoutes(Handler next, AdminAccess access, ClusterFigures figures, EventStream stream, Disconnects disconnects) {
    super(next);
    this.access = access;
    this.figures = figures;
    this.stream = stream;
    this.disconnects = disconnects;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
      return super.handle(request, response, callback);
    }
    String rest = path.substring(PREFIX.length());
    String file = rest.isEmpty() || rest.equals("/") ? "/index.html" : rest;
    if (rest.equals("/login")) {
      login(request, response, callback);
    } else if (OPEN_FILES.contains(file)) {
      get(request, response, callback, () -> files.serve(file, request, response, callback));
    } else if (admitted(request, response, callback, rest)) {
      route(rest, file, request, response, callback);
    }
    return true;
  }

  private void route(String rest, String file, Request request, Response response, Callback callback) {
    Matcher disconnect = DISCONNECT.matcher(rest);
    if (rest.equals("/api/snapshot")) {
      get(request, response, callback, () -> {
        JsonObject snapshot = figures.snapshot();
        snapshot.addProperty("login", access.tokenConfigured()); // whether the page offers "Log out"
        HttpReplies.json(response, callback, 200, JsonText.write(snapshot));
      });
    } else if (rest.equals("/api/stream")) {
      if ("GET".equals(request.getMethod())) { // not HEAD: an answer that never ends has no head of its own
        stream.open(response, callback, JsonText.write(figures.event()));
      } else {
        refuseMethod(request, response, callback, "GET");
      }
    } else if (disconnect.matches()) {
      only("POST", request, response, callback, () -> {
        if (fromOwnPages(request, response, callback)) {
          disconnect(disconnect.group(1), request, response, callback);
        }
      });
    } else if (files.serves(file)) {
      get(request, response, callback, () -> files.serve(file, request, response, callback));
    } else {
      HttpReplies.refuseUnread(request, response, callback, 404, "no route for " + PREFIX + rest);
    }
  }

  /**
   * {@code GET /admin/login}: the form. {@code POST} with {@code Authorization: Bearer <token>}:
   * 204 and the cookie; {@code DELETE}: 204 and the cookie cleared (log out).
   */
  private void login(Request request, Response response, Callback callback) {
    switch (request.getMethod()) {
      case "GET", "HEAD" -> files.serve("/login.html", request, response, callback);
      case "POST" -> {
        if (!access.tokenConfigured()) {
          HttpReplies.refuseUnread(request, response, callback, 400,
              "no PARLEY_ADMIN_TOKEN is configured: the page answers loopback clients without a login");
        } else if (admitted(request, response, callback, "/login")) {
          response.getHeaders().put(HttpHeader.SET_COOKIE, access.loginCookie(request.isSecure()));
          HttpReplies.json(response, callback, 200, "{\"login\":\"ok\"}");
        }
      }
      case "DELETE" -> {
        response.getHeaders().put(HttpHeader.SET_COOKIE, AdminAccess.logoutCookie());
        HttpReplies.json(response, callback, 200, "{\"login\":\"none\"}");
      }
      default -> refuseMethod(request, response, callback, "GET, POST, DELETE");
    }
  }

  /**
   * False, with a 403 answered, for a browser request that another page sent: {@code Sec-Fetch-Site}
   * is {@code same-site} or {@code cross-site}. SameSite=Strict keeps the cookie from other sites'
   * requests, but a sibling origin of the same site (another subdomain, another port) would still
   * carry it. Clients that send no {@code Sec-Fetch-Site} (curl, scripts with the Bearer token) pass.
   */
  private static boolean fromOwnPages(Request request, Response response, Callback callback) {
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if (site == null || "same-origin".equals(site) || "none".equals(site)) {
      return true;
    }
    HttpReplies.refuseUnread(request, response, callback, 403,
        "the operations page takes changes from its own pages only (Sec-Fetch-Site: " + site + ")");
    return false;
  }

  /** True when the request may go on; otherwise its refusal has been answered. */
  private boolean admitted(Request request, Response response, Callback callback, String rest) {
    MetricsAccess.Verdict verdict = access.judge(request);
    switch (verdict) {
      case ALLOWED -> {
        return true;
      }
      case NOT_LOOPBACK -> HttpReplies.refuseUnread(request, response, callback, 403,
          "the operations page answers loopback clients only, unless PARLEY_ADMIN_TOKEN is set");
      default -> {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"parley-admin\"");
        if (rest.isEmpty() || rest.equals("/") || rest.equals("/index.html")) {
          // A person opened the page: show the login form (still a 401, nothing of the node in it).
          files.serveWithStatus("/login.html", 401, request, response, callback);
        } else {
          HttpReplies.refuseUnread(request, response, callback, 401, verdict == MetricsAccess.Verdict.NO_TOKEN
              ? PREFIX + " needs Authorization: Bearer <PARLEY_ADMIN_TOKEN> or the login cookie"
              : PREFIX + ": that is not the admin token");
        }
      }
    }
    return false;
  }

  private void disconnect(String id, Request request, Response response, Callback callback) {
    Disconnects.Outcome outcome = disconnects.disconnect(id, Request.getRemoteAddr(request));
    if (outcome.node() == null) {
      HttpReplies.refuse(response, callback, 404, "no open session " + id + " in this node's or the cluster's tables");
      return;
    }
    JsonObject out = new JsonObject();
    out.addProperty(outcome.here() ? "disconnected" : "asked", id);
    out.addProperty("node", outcome.node());
    out.addProperty("code", Disconnects.CODE);
    out.addProperty("reason", Disconnects.REASON);
    // 200: closed now; 202: the node that has it was asked, and its next second's table shows the result.
    HttpReplies.json(response, callback, outcome.here() ? 200 : 202, JsonText.write(out));
  }

  private interface Action {
    void run() throws Exception;
  }

  private static void get(Request request, Response response, Callback callback, Action action) {
    only("GET", request, response, callback, action);
  }

  private static void only(String allowed, Request request, Response response, Callback callback, Action action) {
    String method = request.getMethod();
    if (allowed.equals(method) || ("GET".equals(allowed) && "HEAD".equals(method))) {
      try {
        action.run();
      } catch (Exception e) {
        callback.failed(e);
      }
    } else {
      refuseMethod(request, response, callback, allowed);
    }
  }

  private static void refuseMethod(Request request, Response response, Callback callback, String allowed) {
    response.getHeaders().put(HttpHeader.ALLOW, allowed);
    HttpReplies.refuseUnread(request, response, callback, 405,
        "method " + request.getMethod() + " is not allowed here; use " + allowed);
  }
}
