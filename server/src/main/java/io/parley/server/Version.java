package io.parley.server;

/**
 * The server's version, as the jar's manifest ({@code Implementation-Version}, written by the
 * build) states it; {@value #UNPACKAGED} when running from compiled classes (tests, an IDE).
 */
public final class Version {
  /** What {@link #current()} answers without a packaged jar. */
  public static final String UNPACKAGED = "dev";

  private Version() {}

  public static String current() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? UNPACKAGED : version;
  }
}
