/** Server configuration from environment variables and flags, validated before start-up. */
package io.parley.server.config;
