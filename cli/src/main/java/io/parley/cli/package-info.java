/**
 * {@code parley-cli}: the command-line chat built on the SDK ({@code java -jar parley-cli.jar
 * ws://host:8080/ws --name alice --room lobby}), with one-shot modes for scripts. Exit codes: 0
 * done, 1 connection or server failure, 2 usage error; failures print one line on stderr.
 */
package io.parley.cli;
