package io.contrastream.cli;

import picocli.CommandLine;

/** Reports the build's version, read from the jar manifest (the POM version when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"contrastream " + BuildInfo.version(), "Java " + Runtime.version()
                + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
