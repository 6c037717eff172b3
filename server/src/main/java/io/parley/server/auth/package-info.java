/**
 * Token mode: verifying the HS256 JWTs clients present ({@link io.parley.server.auth.TokenVerifier})
 * and keeping WebSocket sessions within their tokens' lifetimes ({@link io.parley.server.auth.SessionGuard}).
 * Nothing here is used in open mode. Tokens are never logged.
 */
package io.parley.server.auth;
