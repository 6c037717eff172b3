/** The Parley server: start-up ({@link io.parley.server.Main}), wiring ({@link io.parley.server.ParleyServer}). */
package io.parley.server;
