package io.recsys.app.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = RecsysCommand.class.getPackage().getImplementationVersion();
    return new String[] {"recsys " + (version == null ? "development" : version)};
  }
}
